/**
 * Folders a stack file names (a bucket's `seed`, a static site's `dir`) stay inside the project, the stack
 * file's folder, unless the entry says `outside_project: true`. Pure: the lexical check; the same check on
 * real paths (symlinks resolved) is src/load/project-files.ts, and the runtime's is src/runtime/inside.ts.
 */
import { isAbsolute, posix, relative, resolve, sep } from "node:path";

/** Why `path` (as written, relative to the project) leaves the project, or null when it stays inside. */
export function leavesProject(path: string): string | null {
  if (path.includes("\0")) return "it holds a NUL character";
  if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) return "it is absolute";
  const normal = posix.normalize(path.replace(/\\/g, "/"));
  if (normal === ".." || normal.startsWith("../")) return "it climbs above the project's folder";
  return null;
}

/** True when `child` (an absolute path) is `root` or under it. Both are taken as they are (resolve symlinks first). */
export function isWithin(root: string, child: string): boolean {
  const rel = relative(resolve(root), resolve(child));
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/** The folders of a stack that must stay inside the project, with their place in the file. */
export interface ProjectPath {
  readonly path: (string | number)[];
  readonly value: string;
  readonly outsideAllowed: boolean;
}

/** Every `seed` and static `dir` of a file's resources. */
export function projectPaths(resources: Record<string, unknown> | undefined): ProjectPath[] {
  const out: ProjectPath[] = [];
  for (const [name, r] of Object.entries(resources ?? {})) {
    if (r === null || typeof r !== "object") continue;
    const entry = r as { type?: unknown; seed?: unknown; dir?: unknown; outside_project?: unknown };
    const allowed = entry.outside_project === true;
    if (entry.type === "bucket" && typeof entry.seed === "string") out.push({ path: ["resources", name, "seed"], value: entry.seed, outsideAllowed: allowed });
    if (entry.type === "static" && typeof entry.dir === "string") out.push({ path: ["resources", name, "dir"], value: entry.dir, outsideAllowed: allowed });
  }
  return out;
}
