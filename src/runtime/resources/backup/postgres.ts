/**
 * Postgres backups. A private cluster: `pg_dump --format=custom`, restored with
 * `pg_restore --clean --if-exists` (the tables of the backup come back exactly as they were).
 * The embedded Postgres: a copy of its whole data folder (PGlite's dump, tar.gz), taken and
 * restored while the stack is stopped; a restore moves the current folder aside, never deletes it.
 */
import { execFile } from "node:child_process";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { findPostgres } from "../postgres/binaries.js";
import { LOCAL_USER } from "../postgres/cluster.js";
import { handOver } from "../postgres/database.js";

const run = promisify(execFile);

export class BackupError extends Error {
  constructor(
    message: string,
    readonly hint: string | null = null,
  ) {
    super(message);
  }
}

/** pg_dump/pg_restore for the cluster in `dataDir` (the binaries of its major version). */
async function tool(dataDir: string, name: "pg_dump" | "pg_restore"): Promise<string> {
  const version = Number((await readFile(join(dataDir, "cluster", "PG_VERSION"), "utf8")).trim());
  const binaries = findPostgres(version);
  if (!binaries || binaries.major < version) {
    throw new BackupError(
      `${name} for PostgreSQL ${version} was not found`,
      `Install it: \`apt-get install postgresql-client-${version}\`, or set CAIRN_PG_BINDIR.`,
    );
  }
  return join(binaries.bindir, name);
}

/**
 * pg_dump and pg_restore log in as the cluster's superuser through its socket folder, not as the app's
 * role: a restore drops and creates the extensions, which only the superuser may do.
 */
function adminArgs(dataDir: string, url: string): { args: string[]; port: number; database: string } {
  const parsed = new URL(url);
  const port = Number(parsed.port);
  const database = decodeURIComponent(parsed.pathname.slice(1));
  return { args: [`--host=${join(dataDir, "socket")}`, `--port=${port}`, `--username=${LOCAL_USER}`, `--dbname=${database}`], port, database };
}

const failed = (error: unknown) => ((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split("\n").slice(-3).join(" ");

export async function dumpNative(dataDir: string, url: string, out: string): Promise<void> {
  try {
    await run(await tool(dataDir, "pg_dump"), ["--format=custom", "--no-owner", `--file=${out}`, ...adminArgs(dataDir, url).args], { timeout: 3_600_000 });
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`pg_dump failed: ${failed(error)}`);
  }
}

export async function restoreNative(dataDir: string, url: string, file: string): Promise<void> {
  try {
    const admin = adminArgs(dataDir, url);
    await run(await tool(dataDir, "pg_restore"), ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", ...admin.args, file], {
      timeout: 3_600_000,
    });
    // Restored as the superuser: the tables go back to the app's role.
    await handOver({ host: join(dataDir, "socket"), port: admin.port, user: LOCAL_USER }, admin.database);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`pg_restore failed: ${failed(error)}`, "Is the file a backup taken by `cairn backup` of a PostgreSQL database?");
  }
}

/** Writes the embedded data folder as a tar.gz (the database must not be open elsewhere). */
export async function dumpEmbedded(dataDir: string, out: string): Promise<void> {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create({ dataDir: join(dataDir, "pglite") });
  try {
    const blob = await db.dumpDataDir("gzip");
    await writeFile(out, Buffer.from(await blob.arrayBuffer()));
  } finally {
    await db.close();
  }
}

/** Replaces the embedded data folder by a backup; the current one is kept beside it. Returns where. */
export async function restoreEmbedded(dataDir: string, file: string, now: Date): Promise<string> {
  const data = await readFile(file);
  if (data[0] !== 0x1f || data[1] !== 0x8b) throw new BackupError(`${file} is not a backup of the embedded Postgres (a tar.gz from \`cairn backup\`)`);
  const current = join(dataDir, "pglite");
  const aside = join(dataDir, `pglite.before-restore-${now.toISOString().replace(/[:.]/g, "-")}`);
  if (await stat(current).catch(() => null)) await rename(current, aside);
  const { PGlite } = await import("@electric-sql/pglite");
  try {
    const db = await PGlite.create({ dataDir: current, loadDataDir: new Blob([data]) });
    await db.query("SELECT 1");
    await db.close();
  } catch (error) {
    const { rm } = await import("node:fs/promises");
    await rm(current, { recursive: true, force: true });
    if (await stat(aside).catch(() => null)) await rename(aside, current);
    throw new BackupError(`the backup could not be loaded: ${(error as Error).message}`);
  }
  return aside;
}
