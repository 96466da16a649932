/**
 * The only configuration CityFlow reads: the variables Cairn gives every process for the resources it
 * uses (the same names locally, on a VM and on AWS), plus PORT, API_URL and BASE_PATH for the web parts.
 */

/** A configuration problem the user fixes by setting variables; printed without a stack trace. */
export class ConfigError extends Error {}

/** Returns the named variables; throws a `ConfigError` naming every one that is missing. */
export function requireEnv(names, env = process.env) {
  const missing = names.filter((n) => !env[n]);
  if (missing.length > 0) {
    throw new ConfigError(`missing variable${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: run this through \`cairn up\` / \`cairn run\`, or set them`);
  }
  return Object.fromEntries(names.map((n) => [n, env[n]]));
}

/** A whole number from a variable, or the default; throws a `ConfigError` on anything else. */
export function intEnv(name, fallback, { allowZero = false } = {}, env = process.env) {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  if (!/^\d+$/.test(text) || (Number(text) === 0 && !allowZero)) throw new ConfigError(`${name} must be a positive whole number, not "${text}"`);
  return Number(text);
}

/** BASE_PATH without a trailing slash (`""` at the root, `/dashboard` under a prefix). */
export function basePath(env = process.env) {
  const raw = (env.BASE_PATH ?? "").trim();
  if (raw === "" || raw === "/") return "";
  return `/${raw.replace(/^\/+|\/+$/g, "")}`;
}
