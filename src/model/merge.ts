/**
 * Applies an environment's overrides to the stack file: maps merge key by key, lists replace.
 * Works on the validated input, before resolution, so that every default is filled once, after.
 */
import type { StackFile } from "../schema/stack.js";

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Deep merge where `override` wins; lists and scalars replace, `null` removes. */
export function deepMerge<T>(base: T, override: unknown): T {
  if (!isPlain(base) || !isPlain(override)) return (override === undefined ? base : override) as T;
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else out[key] = deepMerge(out[key], value);
  }
  return out as T;
}

/** The stack file as the named environment sees it. */
export function applyEnvironment(file: StackFile, envName: string | null): StackFile {
  const env = envName ? file.environments?.[envName] : undefined;
  if (!env) return file;
  const mergeSection = <K extends "services" | "jobs" | "resources">(key: K): StackFile[K] => {
    const base = file[key];
    const overrides = env[key];
    if (!base || !overrides) return base;
    const out: Plain = { ...base };
    for (const [name, override] of Object.entries(overrides)) {
      if (!(name in out)) continue;
      // `cache: null` takes the part out of this environment (ForestGuard's MVP runs without Redis).
      if (override === null) delete out[name];
      else out[name] = deepMerge(out[name], override);
    }
    return out as StackFile[K];
  };
  return {
    ...file,
    services: mergeSection("services"),
    jobs: mergeSection("jobs"),
    resources: mergeSection("resources"),
    edge: env.edge ? deepMerge(file.edge ?? {}, env.edge) : file.edge,
    routes: (env.routes as StackFile["routes"]) ?? file.routes,
    alarms: (env.alarms as StackFile["alarms"]) ?? file.alarms,
    logs: env.logs ? deepMerge(file.logs ?? {}, env.logs) : file.logs,
    domain: env.domain ?? file.domain,
  };
}

/** Environment names in file order; a file without environments has one, `local`. */
export function environmentNames(file: StackFile): string[] {
  const names = Object.keys(file.environments ?? {});
  return names.length ? names : ["local"];
}
