/**
 * Loads a stack for a verb other than `check`: prints its errors the way `check` does and stops
 * with a user error when there are any. Warnings are left to `cairn check`.
 */
import { renderDiagnostic } from "../diagnostics/render.js";
import { hasErrors, loadStack } from "../load/load.js";
import { findStackFile } from "../load/read.js";
import type { Stack } from "../model/types.js";
import { type Context, paint, UserError } from "./context.js";

/**
 * The stack file at `path` (a file, or a folder holding cairn.yaml), or the user error `check` gives
 * when there is none: every verb says the same thing about a missing file.
 */
export async function findStackOrFail(path: string, context: Pick<Context, "cwd">): Promise<string> {
  const found = await findStackFile(path, context.cwd);
  if ("file" in found) return found.file;
  const diagnostic = found.error.ok ? null : found.error.diagnostic;
  throw new UserError(diagnostic?.message ?? `${path}: no stack file`, diagnostic?.hint ?? null);
}

/** Every environment's stack, or a UserError after printing the file's errors. */
export async function loadStacksOrFail(path: string, context: Context, env?: string): Promise<Stack[]> {
  await findStackOrFail(path, context);
  const analysis = await loadStack(path, context.cwd, { env, lint: false });
  if (hasErrors(analysis)) {
    const c = paint(context);
    for (const d of analysis.diagnostics.filter((x) => x.severity === "error")) {
      context.stderr.write(`${renderDiagnostic(d, analysis.source?.text ?? null, context.cwd, c)}\n\n`);
    }
    throw new UserError(`${path}: the stack file has errors`, "Fix them (`cairn check` lists them all) and run again.");
  }
  return [...analysis.stacks.values()];
}

/**
 * The environment a local verb acts on: the one given, else the one `up` would run. A missing stack file
 * is the user error `check` gives; a stack file with errors still names an environment (`local`), so that
 * `down` can stop what a broken edit left running.
 */
export async function environmentOf(path: string, env: string | undefined, context: Context): Promise<string> {
  await findStackOrFail(path, context);
  if (env) return env;
  try {
    return (await loadStackOrFail(path, { ...context, stderr: { write: () => {} } })).environment.name;
  } catch {
    return "local";
  }
}

/**
 * The stack a local verb (up, down, run, backup...) runs: the environment given, else the first whose
 * target is local, else `local`, the file as written, run on this machine.
 */
export async function loadStackOrFail(path: string, context: Context, env?: string): Promise<Stack> {
  const stacks = await loadStacksOrFail(path, context, env);
  const stack = env === undefined ? (stacks.find((s) => s.environment.target === "local") ?? (await loadStacksOrFail(path, context, "local"))[0]) : stacks[0];
  if (!stack) throw new UserError(`${path}: no environment to use`);
  return stack;
}
