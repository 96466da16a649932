/** Finds PostgreSQL server binaries on this machine, preferring the major version the stack asks for. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface PostgresBinaries {
  readonly bindir: string;
  readonly major: number;
  readonly full: string;
}

function versionOf(bindir: string): { major: number; full: string } | null {
  try {
    const out = execFileSync(join(bindir, "postgres"), ["--version"], { encoding: "utf8", timeout: 5000 });
    const match = /(\d+)(?:\.(\d+))?/.exec(out);
    return match ? { major: Number(match[1]), full: match[0] } : null;
  } catch {
    return null;
  }
}

function candidates(env: NodeJS.ProcessEnv): string[] {
  const dirs: string[] = [];
  if (env.CAIRN_PG_BINDIR) dirs.push(env.CAIRN_PG_BINDIR);
  for (const root of ["/usr/lib/postgresql", "/usr/pgsql", "/opt/homebrew/opt", "/usr/local/opt"]) {
    try {
      for (const name of readdirSync(root)) {
        if (root.endsWith("opt") && !name.startsWith("postgresql")) continue;
        dirs.push(join(root, name, "bin"));
      }
    } catch {
      // not on this system
    }
  }
  try {
    dirs.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8", timeout: 5000, stdio: ["ignore", "pipe", "ignore"] }).trim());
  } catch {
    // no pg_config on PATH
  }
  dirs.push("/usr/local/pgsql/bin", ...(env.PATH ?? "").split(delimiter).filter(Boolean));
  return [...new Set(dirs)].filter((d) => existsSync(join(d, "postgres")) && existsSync(join(d, "initdb")));
}

/**
 * Server binaries for `wanted` major version when installed, else the newest found, or null.
 * `CAIRN_PG_BINDIR` points at one folder explicitly.
 */
export function findPostgres(wanted: number, env: NodeJS.ProcessEnv = process.env): PostgresBinaries | null {
  const found: PostgresBinaries[] = [];
  for (const bindir of candidates(env)) {
    const version = versionOf(bindir);
    if (version) found.push({ bindir, ...version });
  }
  if (env.CAIRN_PG_BINDIR && found[0]?.bindir === env.CAIRN_PG_BINDIR) return found[0];
  return found.find((b) => b.major === wanted) ?? found.sort((a, b) => b.major - a.major)[0] ?? null;
}

/** The Debian/Ubuntu package that provides an extension, for the hint of a missing one. */
export function extensionPackage(extension: string, major: number): string {
  const known: Record<string, string> = {
    postgis: `postgresql-${major}-postgis-3`,
    postgis_topology: `postgresql-${major}-postgis-3`,
    postgis_raster: `postgresql-${major}-postgis-3`,
    vector: `postgresql-${major}-pgvector`,
    pgvector: `postgresql-${major}-pgvector`,
    timescaledb: `timescaledb-2-postgresql-${major}`,
    pg_partman: `postgresql-${major}-partman`,
    pgrouting: `postgresql-${major}-pgrouting`,
    h3: `postgresql-${major}-h3`,
  };
  return known[extension] ?? `postgresql-${major}-${extension.replace(/_/g, "-")}`;
}

/** How to get the server binaries of a major version. */
export function installHint(version: number): string {
  return `Install the server: \`apt-get install postgresql-${version}\` (Debian/Ubuntu), \`brew install postgresql@${version}\` (macOS), or set CAIRN_PG_BINDIR to its bin folder.`;
}
