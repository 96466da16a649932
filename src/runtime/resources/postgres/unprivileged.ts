/**
 * A data store never runs as root. When Cairn runs as root, each server runs as its own system user
 * (`postgres` for PostgreSQL, `redis` for redis-server), else `nobody`, owning its data folder; every
 * folder above it must let that user through. When Cairn is an ordinary user, servers run as that user.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { ResourceError } from "../types.js";

export interface RunAs {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** The user to run a server as (the first of `preferred` the machine has, else nobody), or null when Cairn is not root. */
export function serverUser(preferred: readonly string[] = ["postgres"]): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  let passwd = "";
  try {
    passwd = readFileSync("/etc/passwd", "utf8");
  } catch {
    return null;
  }
  const users = new Map(
    passwd
      .split("\n")
      .map((line) => line.split(":"))
      .filter((f) => f.length > 3)
      .map((f) => [f[0] as string, { name: f[0] as string, uid: Number(f[2]), gid: Number(f[3]) }]),
  );
  for (const name of [...preferred, "nobody"]) {
    const user = users.get(name);
    if (user && user.uid !== 0) return user;
  }
  return null;
}

/** Throws when `user` cannot reach `dir` because a folder above it is closed to others. */
export function checkReachable(resource: string, dir: string, user: RunAs, server = "PostgreSQL"): void {
  let current = dirname(dir);
  for (;;) {
    const st = statSync(current);
    const open = st.uid === user.uid ? st.mode & 0o100 : st.gid === user.gid ? st.mode & 0o010 : st.mode & 0o001;
    if (!open) {
      throw new ResourceError(
        resource,
        `${server} runs as user "${user.name}" (not root), and that user cannot enter ${current}`,
        `Let it through with \`chmod o+x ${current}\`, keep the project in a folder others can traverse, or run Cairn as an ordinary user.`,
      );
    }
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}
