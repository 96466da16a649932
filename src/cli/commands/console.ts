/** `cairn console [file] [--env NAME] [--json]`: a new one-time login link to a running stack's console. */
import type { Command } from "commander";
import { sendControl } from "../../runtime/stack-runner/control.js";
import { locate } from "../../runtime/stack-runner/launch.js";
import type { ConsoleLinkAnswer } from "../../runtime/stack-runner/session.js";
import { readRunner } from "../../runtime/stack-runner/state-dir.js";
import { type Context, paint, UserError } from "../context.js";
import { environmentOf } from "../load-or-fail.js";

/** Asks the running `cairn up` for a new login link and prints it; the unused link before stops working. */
export async function consoleLink(path: string, options: { env?: string; json?: boolean }, context: Context): Promise<number> {
  const environment = await environmentOf(path, options.env, context);
  const { paths, file } = locate(path, context.cwd, environment);
  const info = readRunner(paths);
  const restart = "Restart it: `cairn down`, then `cairn up`.";
  const answer = info
    ? await sendControl<ConsoleLinkAnswer | null>(info.socket, { op: "console" }, 10_000).catch((error: Error) => {
        throw new UserError(`the cairn up running ${file} (${environment}) gave no link: ${error.message}`, restart);
      })
    : null;
  if (!info || answer === null)
    throw new UserError(`nothing is running for ${file} (${environment})`, "Start it with `cairn up`; it prints the console's link.");
  if (typeof answer?.url !== "string") throw new UserError(`the cairn up running ${file} (${environment}) has no console link to give`, restart);
  if (options.json) context.stdout.write(`${JSON.stringify({ url: answer.url, file, environment })}\n`);
  else context.stdout.write(`console: ${answer.url}\n${paint(context).dim("the link logs in once; the link given before, if unused, no longer does")}\n`);
  return 0;
}

/** Adds `cairn console` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("console")
    .description("print a new one-time login link to the running stack's web console")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the local one)")
    .option("--json", "print the link as JSON")
    .action(async (file: string, options: { env?: string; json?: boolean }) => {
      result.code = await consoleLink(file, options, context);
    });
}
