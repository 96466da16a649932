/**
 * The one writer that puts generated files on disk. It refuses any path that would leave the
 * output folder, writes each file with its mode, and removes the files a previous build wrote that
 * this one no longer generates (listed in `.cairn-build.json`), never anything else.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { GeneratedFile } from "../targets/types.js";

/** Name of the list of files a build wrote, kept in the output folder. */
export const MANIFEST = ".cairn-build.json";

/** The absolute path of `file` inside `outDir`, or an error when it would leave it. */
export function safePath(outDir: string, file: string): string {
  const target = resolve(outDir, file);
  const rel = relative(resolve(outDir), target);
  if (file === "" || isAbsolute(file) || rel === "" || rel.startsWith("..") || isAbsolute(rel) || file.includes("\\")) {
    throw new Error(`refusing to write "${file}": it is outside the output folder`);
  }
  return target;
}

async function previousFiles(outDir: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await readFile(join(outDir, MANIFEST), "utf8")) as { files?: unknown };
    return Array.isArray(manifest.files) ? manifest.files.filter((f): f is string => typeof f === "string") : [];
  } catch {
    return [];
  }
}

/** Writes the files; returns the paths removed because the build no longer generates them. */
export async function writeFiles(outDir: string, files: readonly GeneratedFile[]): Promise<{ removed: string[] }> {
  const paths = files.map((f) => ({ file: f, path: safePath(outDir, f.path) }));
  await mkdir(outDir, { recursive: true });
  const current = new Set(files.map((f) => f.path));
  const removed: string[] = [];
  for (const old of await previousFiles(outDir)) {
    if (current.has(old)) continue;
    let path: string;
    try {
      path = safePath(outDir, old);
    } catch {
      continue;
    }
    await rm(path, { force: true });
    removed.push(old);
  }
  // Synchronous calls: for a thousand small files they are several times faster than awaiting each.
  const folders = new Set(paths.map(({ path }) => dirname(path)));
  for (const folder of [...folders].sort()) mkdirSync(folder, { recursive: true });
  for (const { file, path } of paths) {
    writeFileSync(path, file.content, { mode: file.mode ?? 0o644 });
    // The mode given at creation does not change an existing file's mode.
    chmodSync(path, file.mode ?? 0o644);
  }
  const manifest = { generator: "cairn build", files: [...current].sort() };
  await writeFile(join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return { removed: removed.sort() };
}
