/**
 * The application as a release: the stack file's folder, honouring `.gitignore` (git's own rules
 * when the folder is in a repository) and `.cairnignore`, and never `.env`, `.cairn/`, `.git/`,
 * `out/`, `node_modules/` or `.venv/` (the host installs dependencies per release). Streamed as a
 * tar.gz by the system's tar.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ignore from "ignore";

/** Paths that never go into a release, whatever the ignore files say. */
export function neverShipped(path: string): boolean {
  const parts = path.split("/");
  const base = parts[parts.length - 1] ?? "";
  if (/^\.env(\..+)?$/.test(base) && !/^\.env\.(example|sample|template)$/.test(base)) return true;
  if (parts.some((p) => p === ".git" || p === ".cairn" || p === "node_modules" || p === ".venv" || p === "__pycache__")) return true;
  return parts[0] === "out";
}

/** The git short sha of the folder's repository, or null. */
export function gitSha(root: string): string | null {
  try {
    return execFileSync("git", ["-C", root, "rev-parse", "--short=7", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}

function fromGit(root: string): string[] | null {
  try {
    const args = ["-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"];
    if (existsSync(join(root, ".cairnignore"))) args.push(`--exclude-from=${join(root, ".cairnignore")}`);
    const out = execFileSync("git", [...args, "."], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 256 * 1024 * 1024 });
    // Files deleted from the work tree but still in the index are not there to pack.
    return out.split("\0").filter((p) => p !== "" && existsSync(join(root, p)));
  } catch {
    return null;
  }
}

function walk(root: string): string[] {
  const rules = ignore();
  for (const name of [".gitignore", ".cairnignore"]) if (existsSync(join(root, name))) rules.add(readFileSync(join(root, name), "utf8"));
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const path = relative(root, full).split(sep).join("/");
      if (neverShipped(path) || rules.ignores(entry.isDirectory() ? `${path}/` : path)) continue;
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile() || entry.isSymbolicLink()) out.push(path);
    }
  };
  visit(root);
  return out;
}

/** The files of a release, relative to the stack's folder, sorted. */
export function releaseFileList(root: string): string[] {
  const files = fromGit(root) ?? walk(root);
  return files.filter((p) => !neverShipped(p)).sort();
}

/** A tar.gz of the files, as a stream. */
export function packStream(root: string, files: readonly string[]): NodeJS.ReadableStream {
  const tar = spawn("tar", ["-czf", "-", "-C", root, "--null", "-T", "-"], { stdio: ["pipe", "pipe", "inherit"] });
  tar.stdin.end(files.map((f) => `${f}\0`).join(""));
  return tar.stdout;
}
