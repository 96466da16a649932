/** Resolves what `cairn deploy` reads: the hosts of a vm environment, SSH settings and release settings. */
import type { StackFile } from "../schema/stack.js";
import { command, ms } from "./resolve-process.js";
import type { DeployHost, DeploySettings, SshSettings } from "./types.js";

type EnvInput = NonNullable<StackFile["environments"]>[string] | undefined;

/** Defaults of `deploy:`, in one place for the schema's docs, the model and `cairn deploy`. */
export const DEPLOY_DEFAULTS = { keep: 5, healthTimeoutMs: 60_000, sshPort: 22 } as const;

/** `user@host[:port]`, `user@[v6]:port`: the parts, or null when it is not an address. */
export function parseHostAddress(text: string): { user: string; host: string; port: number | null } | null {
  const match = /^([a-z_][a-z0-9_.-]{0,31})@(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(text);
  if (!match) return null;
  const [, user = "", v6, name] = match;
  const host = v6 ?? name ?? "";
  const port = match[4] === undefined ? null : Number(match[4]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  if (v6 === undefined && !validHostName(host)) return null;
  return { user, host, port };
}

/** A DNS name of labels (letters, digits, inner dashes) or a dotted IPv4 address. */
function validHostName(host: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return host.split(".").every((n) => Number(n) <= 255);
  return host.length <= 253 && host.split(".").every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}

/** The hosts as written, with what each runs; entries that are not addresses are left out (a rule reports them). */
export function resolveHosts(file: StackFile, env: EnvInput): DeployHost[] {
  const entries = (env?.hosts ?? []).map((h) => (typeof h === "string" ? { address: h } : h));
  const services = Object.keys(file.services ?? {});
  const jobs = Object.keys(file.jobs ?? {});
  const jobsPlaced = entries.some((e) => "jobs" in e && e.jobs !== undefined);
  const out: DeployHost[] = [];
  for (const [i, entry] of entries.entries()) {
    const parsed = parseHostAddress(entry.address);
    if (!parsed) continue;
    const listed = "services" in entry ? entry.services : undefined;
    const ownJobs = "jobs" in entry ? entry.jobs : undefined;
    out.push({
      source: entry.address,
      ...parsed,
      services: listed ?? services,
      jobs: ownJobs ?? (jobsPlaced || i > 0 ? [] : jobs),
    });
  }
  return out;
}

export function resolveSsh(env: EnvInput): SshSettings {
  return {
    key: env?.ssh?.key ?? null,
    port: env?.ssh?.port ?? DEPLOY_DEFAULTS.sshPort,
    knownHosts: env?.ssh?.known_hosts ?? "strict",
    jump: env?.ssh?.jump ?? null,
  };
}

/** `deploy:` of the environment over the stack's, key by key. */
export function resolveDeploy(file: StackFile, env: EnvInput): DeploySettings {
  const given = { ...file.deploy, ...env?.deploy };
  return {
    keep: given.keep ?? DEPLOY_DEFAULTS.keep,
    before: (given.before ?? []).flatMap((b) => {
      const run = typeof b === "object" && !Array.isArray(b) ? b.run : b;
      const as = typeof b === "object" && !Array.isArray(b) ? (b.as ?? null) : null;
      const cmd = command(run);
      return cmd ? [{ command: cmd, as }] : [];
    }),
    healthTimeoutMs: ms(given.health_timeout, DEPLOY_DEFAULTS.healthTimeoutMs),
  };
}
