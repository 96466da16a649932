/**
 * PostgreSQL refuses to run as root. When Cairn runs as root, the server (and initdb) run as the
 * `postgres` system user (or `nobody`), owning the cluster folder; every folder above it must let
 * that user through.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { ResourceError } from "../types.js";

export interface RunAs {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** The user to run the server as, or null when Cairn is not root. */
export function serverUser(): RunAs | null {
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
  return users.get("postgres") ?? users.get("nobody") ?? null;
}

/** Throws when `user` cannot reach `dir` because a folder above it is closed to others. */
export function checkReachable(resource: string, dir: string, user: RunAs): void {
  let current = dirname(dir);
  for (;;) {
    const st = statSync(current);
    const open = st.uid === user.uid ? st.mode & 0o100 : st.gid === user.gid ? st.mode & 0o010 : st.mode & 0o001;
    if (!open) {
      throw new ResourceError(
        resource,
        `PostgreSQL runs as user "${user.name}" (it refuses root), and that user cannot enter ${current}`,
        `Let it through with \`chmod o+x ${current}\`, keep the project in a folder others can traverse, or run Cairn as an ordinary user.`,
      );
    }
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}
