/** `cairn down [file] [--env NAME]`: stop a running `cairn up` (from any terminal). */
import type { Command } from "commander";
import { locate } from "../../runtime/stack-runner/launch.js";
import { stopRunner } from "../../runtime/stack-runner/stop.js";
import { type Context, paint } from "../context.js";
import { environmentOf } from "../load-or-fail.js";

/** Stops the stack; resolves when its `cairn up` has exited. */
export async function down(path: string, options: { env?: string }, context: Context): Promise<number> {
  const environment = await environmentOf(path, options.env, context);
  const { paths, file } = locate(path, context.cwd, environment);
  const result = await stopRunner(paths);
  if (result.kind === "none") context.stdout.write(`nothing is running for ${file} (${environment})\n`);
  else if (result.kind === "stale") context.stdout.write(`nothing is running for ${file} (${environment}); removed a stale ${result.file}\n`);
  else context.stdout.write(`${paint(context).green("✓")} stopped (cairn up pid ${result.pid})\n`);
  return 0;
}

/** Adds `cairn down` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("down")
    .description("stop a running `cairn up`: services, jobs, gateway and resources (data stays)")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the local one)")
    .action(async (file: string, options: { env?: string }) => {
      result.code = await down(file, options, context);
    });
}
