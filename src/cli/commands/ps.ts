/** `cairn ps [file] [--env NAME] [--json]`: services, resources and jobs of a running `cairn up`. */
import type { Command } from "commander";
import { sendControl } from "../../runtime/stack-runner/control.js";
import { locate } from "../../runtime/stack-runner/launch.js";
import { renderPs } from "../../runtime/stack-runner/render.js";
import type { PsReport } from "../../runtime/stack-runner/snapshot.js";
import { readRunner } from "../../runtime/stack-runner/state-dir.js";
import { type Context, paint } from "../context.js";
import { environmentOf } from "../load-or-fail.js";
import { remotePsCommand } from "./remote.js";

export async function ps(path: string, options: { env?: string; json?: boolean; remote?: boolean }, context: Context): Promise<number> {
  if (options.remote) return remotePsCommand(path, options, context);
  const environment = await environmentOf(path, options.env, context);
  const { paths, file } = locate(path, context.cwd, environment);
  const info = readRunner(paths);
  const report = info ? await sendControl<PsReport>(info.socket, { op: "ps" }, 10_000) : null;
  if (!report) {
    if (options.json) context.stdout.write(`${JSON.stringify({ running: false, file, environment })}\n`);
    else context.stdout.write(`nothing is running for ${file} (${environment}); \`cairn up\` starts it\n`);
    return 0;
  }
  if (options.json) context.stdout.write(`${JSON.stringify({ running: true, ...report }, null, 2)}\n`);
  else context.stdout.write(renderPs(report, paint(context)));
  return 0;
}

/** Adds `cairn ps` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("ps")
    .description("show the running stack: replicas, state, pid, restarts, uptime, CPU, memory, health; jobs")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the local one)")
    .option("--json", "print the report as JSON")
    .option("--remote", "the units on the hosts of a vm environment (systemd), not a local run")
    .action(async (file: string, options: { env?: string; json?: boolean; remote?: boolean }) => {
      result.code = await ps(file, options, context);
    });
}
