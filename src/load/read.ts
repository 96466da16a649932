/**
 * Reads a stack file from disk, turning every way it can go wrong (missing, a folder without a
 * cairn.yaml, binary, huge, empty) into a diagnostic instead of an exception.
 */
import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/types.js";
import { makeDiagnostic } from "./source.js";

export const MAX_STACK_FILE_BYTES = 4 * 1024 * 1024;
export const STACK_FILE_NAMES = ["cairn.yaml", "cairn.yml"];

export type ReadResult = { ok: true; file: string; text: string } | { ok: false; diagnostic: Diagnostic };

function fail(file: string, code: string, message: string): ReadResult {
  return { ok: false, diagnostic: makeDiagnostic({ file }, { code, message, path: [] }, null) };
}

/** Finds the stack file: the path itself, or cairn.yaml inside a folder. */
export async function findStackFile(path: string, cwd: string): Promise<{ file: string } | { error: ReadResult }> {
  const target = resolve(cwd, path);
  const info = await stat(target).catch(() => null);
  if (!info) return { error: fail(target, "file/missing", `${path}: no such file or folder`) };
  if (!info.isDirectory()) return { file: target };
  for (const name of STACK_FILE_NAMES) {
    const candidate = join(target, name);
    if (
      await stat(candidate)
        .then((s) => s.isFile())
        .catch(() => false)
    )
      return { file: candidate };
  }
  return { error: fail(target, "file/missing", `${path} is a folder without a cairn.yaml`) };
}

/** True when every line is blank or a comment (checked line by line: a regex here backtracks badly). */
export function onlyComments(text: string): boolean {
  return text.split("\n").every((line) => {
    const trimmed = line.trim();
    return trimmed === "" || trimmed.startsWith("#");
  });
}

/** Reads the stack file's text after checking it is a reasonable text file. */
export async function readStackFile(path: string, cwd: string): Promise<ReadResult> {
  const found = await findStackFile(path, cwd);
  if ("error" in found) return found.error;
  const { file } = found;
  const info = await stat(file);
  if (info.size > MAX_STACK_FILE_BYTES) {
    return fail(file, "file/too-large", `${path} is ${(info.size / 1e6).toFixed(1)} MB; a stack file is at most 4 MB`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return fail(file, "file/unreadable", `${path}: ${(error as NodeJS.ErrnoException).code ?? "cannot be read"}`);
  }
  if (bytes.includes(0)) return fail(file, "file/binary", `${path} holds binary data (a NUL byte)`);
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  if (text.includes("\uFFFD")) return fail(file, "file/binary", `${path} is not valid UTF-8 text`);
  if (onlyComments(text)) return fail(file, "file/empty", `${path} has no content`);
  return { ok: true, file, text };
}
