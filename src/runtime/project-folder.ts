/**
 * The runtime's own check that a folder the stack reads (a bucket's seed, a static site's folder) is inside
 * the project once symlinks are resolved, even for a stack that did not come through `cairn check`.
 */
import { realpath } from "node:fs/promises";
import { resolve } from "node:path";
import { isWithin, leavesProject } from "../model/project-paths.js";
import type { Stack } from "../model/types.js";

/** The folders of `stack` that leave its project without `outside_project: true`, with why. */
export async function foldersOutside(stack: Pick<Stack, "root" | "resources">): Promise<{ resource: string; path: string; real: string }[]> {
  const root = await realpath(stack.root).catch(() => resolve(stack.root));
  const out: { resource: string; path: string; real: string }[] = [];
  for (const r of stack.resources) {
    if ((r.type !== "bucket" && r.type !== "static") || r.outsideProject) continue;
    const path = r.type === "bucket" ? r.seed : r.dir;
    if (!path) continue;
    const absolute = resolve(stack.root, path);
    const real = await realpath(absolute).catch(() => absolute);
    if (leavesProject(path) !== null || !isWithin(root, real)) out.push({ resource: r.name, path, real });
  }
  return out;
}
