/**
 * Loads a stack for a verb other than `check`: prints its errors the way `check` does and stops
 * with a user error when there are any. Warnings are left to `cairn check`.
 */
import { renderDiagnostic } from "../diagnostics/render.js";
import { hasErrors, loadStack } from "../load/load.js";
import type { Stack } from "../model/types.js";
import { type Context, paint, UserError } from "./context.js";

/** Every environment's stack, or a UserError after printing the file's errors. */
export async function loadStacksOrFail(path: string, context: Context, env?: string): Promise<Stack[]> {
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
 * The stack a local verb (up, down, run, backup...) runs: the environment given, else the first whose
 * target is local, else `local`, the file as written, run on this machine.
 */
export async function loadStackOrFail(path: string, context: Context, env?: string): Promise<Stack> {
  const stacks = await loadStacksOrFail(path, context, env);
  const stack = env === undefined ? (stacks.find((s) => s.environment.target === "local") ?? (await loadStacksOrFail(path, context, "local"))[0]) : stacks[0];
  if (!stack) throw new UserError(`${path}: no environment to use`);
  return stack;
}
