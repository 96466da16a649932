/** `cairn reload [file] [--env NAME]`: apply the edited stack file to the running stack. */
import type { Command } from "commander";
import { sendControl } from "../../runtime/stack-runner/control.js";
import { locate } from "../../runtime/stack-runner/launch.js";
import type { ReloadAnswer } from "../../runtime/stack-runner/session.js";
import { readRunner } from "../../runtime/stack-runner/state-dir.js";
import { type Context, paint, UserError } from "../context.js";
import { environmentOf } from "../load-or-fail.js";

export async function reload(path: string, options: { env?: string }, context: Context): Promise<number> {
  const environment = await environmentOf(path, options.env, context);
  const { paths, file } = locate(path, context.cwd, environment);
  const info = readRunner(paths);
  const answer = info ? await sendControl<ReloadAnswer>(info.socket, { op: "reload" }, 300_000) : null;
  if (!answer) throw new UserError(`nothing is running for ${file} (${environment})`, "Start it with `cairn up`.");
  const c = paint(context);
  if (!answer.ok) {
    context.stderr.write(`${answer.diagnostics}\n\n`);
    throw new UserError("the stack file has errors; the running stack is unchanged", "Fix them (`cairn check` lists them) and reload again.");
  }
  const r = answer.result;
  const lines = [
    ...r.started.map((s) => `${c.green("+")} ${s} started`),
    ...r.replaced.map((s) => `${c.yellow("~")} ${s} replaced, one replica at a time`),
    ...r.stopped.map((s) => `${c.red("-")} ${s} stopped`),
    ...r.failed.map((f) => `${c.red("✗")} ${f.name}: ${f.message} (the running version keeps serving)`),
    ...r.notes.map((n) => `${c.dim("note:")} ${n}`),
  ];
  context.stdout.write(`${lines.length ? lines.join("\n") : "nothing to change"}\n`);
  return r.failed.length ? 1 : 0;
}

/** Adds `cairn reload` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("reload")
    .description("apply the edited stack file to the running stack (changed services replaced one replica at a time)")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the local one)")
    .action(async (file: string, options: { env?: string }) => {
      result.code = await reload(file, options, context);
    });
}
