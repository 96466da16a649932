/**
 * `cairn run JOB [-- args] [-s file] [--env NAME]`: run a job now. With the stack running, the run
 * goes through its scheduler (concurrency policy, ps, logs); without, the job's resources are
 * started for the run and stopped after it.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { systemClock } from "../../runtime/scheduler/clock.js";
import type { RunRecord } from "../../runtime/scheduler/job-state.js";
import { sendControl } from "../../runtime/stack-runner/control.js";
import { formatLogLine } from "../../runtime/stack-runner/render.js";
import { StackError, StackRunner } from "../../runtime/stack-runner/runner.js";
import { readRunner, statePaths } from "../../runtime/stack-runner/state-dir.js";
import { parseLogLine } from "../../runtime/supervisor/log-sink.js";
import { type Context, paint, UserError } from "../context.js";
import { loadStackOrFail } from "../load-or-fail.js";
import { remoteRunCommand } from "./remote.js";

export interface RunOptions {
  readonly stack?: string;
  readonly env?: string;
  readonly remote?: boolean;
}

function exitCode(record: RunRecord): number {
  return record.status === "succeeded" ? 0 : record.exitCode && record.exitCode > 0 ? record.exitCode : 1;
}

export async function run(name: string, args: readonly string[], options: RunOptions, context: Context): Promise<number> {
  if (options.remote) return remoteRunCommand(name, args, options, context);
  const stack = await loadStackOrFail(options.stack ?? ".", context, options.env);
  const job = stack.jobs.find((j) => j.name === name);
  if (!job) {
    const names = stack.jobs.map((j) => j.name);
    throw new UserError(`${stack.name} has no job named "${name}"`, names.length ? `Jobs: ${names.join(", ")}.` : "The stack file declares no jobs.");
  }
  const c = paint(context);
  const width = Math.max(6, `job:${name}`.length);
  const paths = statePaths(stack.root, stack.environment.name);
  const info = readRunner(paths);
  if (info) {
    const answer = await sendControl<{ ok: boolean; record?: RunRecord; message?: string; error?: string }>(
      info.socket,
      { op: "run", job: name, args: [...args] },
      24 * 3600_000,
    );
    if (answer?.error) throw new UserError(answer.error);
    if (!answer?.ok || !answer.record) throw new UserError(answer?.message ?? "the running cairn up did not run the job");
    for (const raw of readFileSync(answer.record.log, "utf8").split("\n")) {
      const line = parseLogLine(raw);
      if (line) context.stdout.write(formatLogLine({ source: `job:${name}`, stream: line.stream as "out", text: line.text, time: line.time }, width, c));
    }
    context.stdout.write(`${answer.record.status === "succeeded" ? c.green("✓") : c.red("✗")} ${name}: ${answer.record.status}; log ${answer.record.log}\n`);
    return exitCode(answer.record);
  }
  const needsService = job.dependsOn.filter((d) => stack.services.some((s) => s.name === d));
  if (needsService.length)
    throw new UserError(
      `${name} needs the service${needsService.length > 1 ? "s" : ""} ${needsService.join(", ")}, which only run under cairn up`,
      "Start the stack with `cairn up -d`, then `cairn run` again.",
    );
  const only = {
    ...stack,
    services: [],
    routes: [],
    jobs: [{ ...job, schedule: null }],
    resources: stack.resources.filter((r) => job.uses.includes(r.name) || job.dependsOn.includes(r.name)),
  };
  const runner = new StackRunner(only, {
    env: context.env,
    onLog: (line) => context.stdout.write(formatLogLine(line, width, c)),
    clock: { ...systemClock, now: context.now },
  });
  try {
    await runner.start();
  } catch (error) {
    await runner.close();
    if (error instanceof StackError) throw new UserError(error.message, error.hint);
    throw error;
  }
  try {
    if (runner.problems.length) throw new UserError(`cannot run ${name}: ${runner.problems.map((p) => `${p.name}: ${p.message}`).join("; ")}`);
    const record = await runner.runJob(name, args);
    if (!record) throw new UserError(`${name} did not run`);
    context.stdout.write(`${record.status === "succeeded" ? c.green("✓") : c.red("✗")} ${name}: ${record.status}; log ${record.log}\n`);
    return exitCode(record);
  } finally {
    await runner.close();
  }
}

/** Adds `cairn run` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("run")
    .description("run a job now (through the running stack's scheduler, or on its own); its exit code is the job's")
    .argument("<job>", "name of the job")
    .argument("[args...]", "arguments for this run, after --; they replace the job's own args")
    .option("-s, --stack <file>", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the local one)")
    .option("--remote", "run it on the host of a vm environment that runs it, and wait for its end")
    .action(async (job: string, args: string[], options: RunOptions) => {
      result.code = await run(job, args, options, context);
    });
}
