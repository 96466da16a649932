/** The on-disk cluster of a private PostgreSQL: created once, checked before every start. */
import { execFile } from "node:child_process";
import { chown, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { tail } from "../child.js";
import { ResourceError } from "../types.js";
import type { PostgresBinaries } from "./binaries.js";
import type { RunAs } from "./unprivileged.js";

const run = promisify(execFile);

/** The cluster's superuser: it logs in only through the private socket folder, never over TCP. */
export const LOCAL_USER = "cairn";

/**
 * Who may log in, written at every start (so a cluster made by an older Cairn, which trusted loopback,
 * changes too): the superuser through the socket folder (mode 0700, Cairn's or the server user's), and
 * everyone over TCP with a password, which the superuser does not have.
 */
export const ACCESS_RULES = [
  "# Written by Cairn at every start.",
  `local all ${LOCAL_USER} trust`,
  "local all all reject",
  "host all all 127.0.0.1/32 scram-sha-256",
  "host all all ::1/128 scram-sha-256",
  "",
].join("\n");

/** Writes the cluster's pg_hba.conf, owned by the server's user. */
export async function writeAccessRules(dir: string, user: RunAs | null): Promise<void> {
  const file = join(dir, "pg_hba.conf");
  await writeFile(file, ACCESS_RULES, { mode: 0o600 });
  if (user) await chown(file, user.uid, user.gid);
}

export type ClusterState = "absent" | "ready";

/**
 * Looks at the cluster folder: absent (or empty) means it can be created; a folder made by another
 * major version, or one that is not a PostgreSQL data folder, stops the start: nothing is changed.
 */
export async function inspectCluster(resource: string, dir: string, binaries: PostgresBinaries): Promise<ClusterState> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return "absent";
  }
  if (entries.length === 0) return "absent";
  let version: string;
  try {
    version = (await readFile(join(dir, "PG_VERSION"), "utf8")).trim();
  } catch {
    throw new ResourceError(
      resource,
      `${dir} is not empty and is not a PostgreSQL data folder (no PG_VERSION file)`,
      "Move the folder away if its content is not needed; Cairn never deletes data to make a database start.",
    );
  }
  if (Number(version) !== binaries.major) {
    throw new ResourceError(
      resource,
      `the data folder ${dir} was created by PostgreSQL ${version}, but the server found is PostgreSQL ${binaries.major} (${binaries.bindir})`,
      `Install PostgreSQL ${version} (for example \`apt-get install postgresql-${version}\`, or set CAIRN_PG_BINDIR to its bin folder), or upgrade the folder with pg_upgrade. Cairn does not touch it.`,
    );
  }
  return "ready";
}

/** Runs initdb into an empty folder, as `user` when given. */
export async function createCluster(resource: string, dir: string, binaries: PostgresBinaries, user: RunAs | null, logFile: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (user) await chown(dir, user.uid, user.gid);
  const args = ["-D", dir, "-U", LOCAL_USER, "--auth=trust", "--encoding=UTF8", "--no-locale"];
  const command = user ? "/usr/bin/setpriv" : join(binaries.bindir, "initdb");
  const argv = user ? ["--reuid", String(user.uid), "--regid", String(user.gid), "--clear-groups", "--", join(binaries.bindir, "initdb"), ...args] : args;
  try {
    await run(command, argv, { timeout: 120_000, cwd: dir, env: { ...process.env, LC_ALL: "C" } });
  } catch (error) {
    const output = `${(error as { stderr?: string }).stderr ?? ""}${(error as Error).message}`;
    const full = /No space left|could not (write|extend)/i.test(output);
    throw new ResourceError(
      resource,
      `initdb could not create the cluster in ${dir}: ${output.trim().split("\n").slice(-3).join(" ")}`,
      full ? `The disk is full: free space on the disk holding ${dir} and start again.` : `See ${logFile} ${tail(logFile) ? "" : "and the message above"}.`,
    );
  }
}
