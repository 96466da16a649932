/**
 * The Debian packages a machine needs for a stack, each with its reason: the edge, the firewall,
 * certbot, the data stores, and the runtimes the processes' commands name. Pure; `cairn deploy`
 * adds what a release's files ask for (npm for a package-lock, python3-venv for requirements.txt).
 */
import type { Postgres, Process, Redis, Stack } from "../../model/types.js";

export interface VmPackage {
  readonly name: string;
  readonly why: string;
}

/** Runtimes by the first word of a command. */
const RUNTIMES: Readonly<Record<string, readonly string[]>> = {
  node: ["nodejs"],
  nodejs: ["nodejs"],
  npm: ["nodejs", "npm"],
  npx: ["nodejs", "npm"],
  python: ["python3", "python-is-python3"],
  python3: ["python3"],
  pip: ["python3-pip"],
  pip3: ["python3-pip"],
  ruby: ["ruby"],
  php: ["php-cli"],
  java: ["default-jre-headless"],
  perl: ["perl"],
};

/** The program a command starts: its first word, after `exec`, `env` and variable assignments. */
export function programOf(process: Process): string | null {
  const words = process.command?.argv ?? process.command?.shell?.trim().split(/\s+/) ?? [];
  for (const word of words) {
    if (word === "exec" || word === "env" || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) continue;
    return word.split("/").pop() ?? null;
  }
  return null;
}

export function packagesOf(
  stack: Stack,
  parts: { nginx: boolean; tls: { kind: string }; postgres: readonly Postgres[]; redis: readonly Redis[] },
): VmPackage[] {
  const out = new Map<string, string>();
  const add = (name: string, why: string) => {
    if (!out.has(name)) out.set(name, why);
  };
  add("curl", "health checks of new replicas");
  add("ufw", "the firewall");
  if (parts.nginx) add("nginx", "the edge");
  if (parts.tls.kind === "letsencrypt") add("certbot", "the edge's Let's Encrypt certificate");
  for (const db of parts.postgres) {
    add(`postgresql-${db.version}`, `PostgreSQL ${db.name}`);
    if (db.extensions.includes("postgis")) add(`postgresql-${db.version}-postgis-3`, `PostGIS for ${db.name}`);
  }
  if (stack.logs.destination === "cloudwatch") add("rsyslog", "each process's journal lines to the file the CloudWatch agent ships");
  if (parts.redis.length) add("redis-server", `Redis ${parts.redis.map((r) => r.name).join(", ")}`);
  for (const process of [...stack.services, ...stack.jobs]) {
    const program = programOf(process);
    for (const name of (program && RUNTIMES[program]) ?? []) add(name, `runtime of ${process.name} (${program})`);
  }
  return [...out.entries()].map(([name, why]) => ({ name, why }));
}
