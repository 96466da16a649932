/** `cairn down [file] [--env NAME]`: stop a running `cairn up` (from any terminal). */
import { readFileSync, rmSync } from "node:fs";
import type { Command } from "commander";
import { sendControl } from "../../runtime/stack-runner/control.js";
import { locate } from "../../runtime/stack-runner/launch.js";
import { readRunner } from "../../runtime/stack-runner/state-dir.js";
import { type Context, paint } from "../context.js";
import { environmentOf } from "../load-or-fail.js";

/** The environment a path and option name: the option, else the file's first (an invalid file: `local`). */
function isCairn(pid: number): boolean {
  try {
    return /cairn|stack-runner/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the stack; resolves when its `cairn up` has exited. */
export async function down(path: string, options: { env?: string }, context: Context): Promise<number> {
  const environment = await environmentOf(path, options.env, context);
  const { paths, file } = locate(path, context.cwd, environment);
  const c = paint(context);
  const info = readRunner(paths);
  if (!info) {
    context.stdout.write(`nothing is running for ${file} (${environment})\n`);
    return 0;
  }
  const answer = await sendControl<{ ok: boolean }>(info.socket, { op: "down" }).catch(() => null);
  if (!answer && alive(info.pid)) {
    // No answer: signal the pid only when it still is a cairn process (pids are reused after a crash).
    if (!isCairn(info.pid)) {
      rmSync(paths.runner, { force: true });
      context.stdout.write(`nothing is running for ${file} (${environment}); removed a stale ${paths.runner}\n`);
      return 0;
    }
    process.kill(info.pid, "SIGTERM");
  }
  const end = Date.now() + 30_000;
  while (alive(info.pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  if (alive(info.pid)) process.kill(info.pid, "SIGKILL");
  context.stdout.write(`${c.green("✓")} stopped (cairn up pid ${info.pid})\n`);
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
