/** `cairn up [file] [--env NAME] [-d] [--no-watch]`: run the whole stack on this machine. */
import type { Command } from "commander";
import { renderDiagnostic } from "../../diagnostics/render.js";
import { checkDotEnv } from "../../load/project-files.js";
import { sendControl } from "../../runtime/stack-runner/control.js";
import { startDaemon } from "../../runtime/stack-runner/launch.js";
import { formatLogLine, renderStarted } from "../../runtime/stack-runner/render.js";
import { StackError } from "../../runtime/stack-runner/runner.js";
import { Session } from "../../runtime/stack-runner/session.js";
import type { PsReport } from "../../runtime/stack-runner/snapshot.js";
import { readRunner, statePaths } from "../../runtime/stack-runner/state-dir.js";
import { stopRunner } from "../../runtime/stack-runner/stop.js";
import type { LogLine } from "../../runtime/supervisor/log-sink.js";
import { type Context, paint, UserError } from "../context.js";
import { loadStackOrFail } from "../load-or-fail.js";

/** Said beside the console's link: it logs in once, and where the next comes from. */
const ONCE = "the link logs in once; `cairn console` prints a new one";

export interface UpOptions {
  readonly env?: string;
  readonly detach?: boolean;
  readonly watch?: boolean;
}

/** Starts the stack; in the foreground, runs until Ctrl-C; with `detach`, returns once all is up. */
export async function up(path: string, options: UpOptions, context: Context): Promise<number> {
  const stack = await loadStackOrFail(path, context, options.env);
  const dotenv = await checkDotEnv(stack.file);
  if (dotenv) context.stderr.write(`${renderDiagnostic(dotenv, null, context.cwd, paint(context))}\n\n`);
  const environment = stack.environment.name;
  const paths = statePaths(stack.root, environment);
  const running = readRunner(paths);
  // A pid can be reused after a crash: only a `cairn up` that answers on its socket counts.
  const answering = running ? await sendControl(running.socket, { op: "ps" }, 5000).catch(() => null) : null;
  if (running && answering)
    throw new UserError(
      `${stack.name} (${environment}) is already running (cairn up pid ${running.pid})`,
      `Stop it first with \`cairn down ${path}\`, or see it with \`cairn ps ${path}\`.`,
    );
  const c = paint(context);
  if (options.detach) {
    const message = await startDaemon(stack.file, environment, paths, {
      cwd: context.cwd,
      watch: options.watch !== false,
      waitGateway: true,
      env: { ...context.env },
    });
    if (message.type === "failed") throw new UserError(message.message, message.hint);
    const report = message.report as PsReport;
    context.stdout.write(renderStarted(report, c));
    if (report.problems.length) {
      // Half a stack in the background is worse than none: stop it, keep its logs, and say why.
      await stopRunner(paths);
      const parts = report.problems.map((p) => p.name).join(", ");
      throw new UserError(
        `${stack.name} (${environment}) did not start: ${parts} could not start (above), so the rest was stopped too`,
        `Fix it and run \`cairn up ${path} -d\` again; the logs stay in ${paths.logs} (\`cairn logs -s ${path}\`).`,
      );
    }
    if (message.console) context.stdout.write(`console: ${message.console}\n${c.dim(ONCE)}\n`);
    context.stdout.write(`${c.dim(`running in the background (pid ${message.pid}); logs: cairn logs -s ${path} -f; stop: cairn down ${path}`)}\n`);
    return 0;
  }
  const names = [
    ...stack.services.flatMap((s) => Array.from({ length: s.replicas }, (_, i) => `${s.name}.${i + 1}`)),
    ...stack.jobs.map((j) => `job:${j.name}`),
  ];
  const width = Math.min(28, Math.max(6, ...names.map((n) => n.length)));
  let live = false;
  const session = new Session(stack, {
    cwd: context.cwd,
    env: context.env,
    watch: options.watch !== false,
    console: true,
    onLog: (line: LogLine) => {
      if (live || (line.stream === "cairn" && line.source === "cairn")) context.stdout.write(formatLogLine(line, width, c));
    },
  });
  let interrupted = 0;
  const stop = () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    context.stderr.write(`\n${c.dim("stopping (Ctrl-C again to force)")}\n`);
    void session.close();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
  context.stdout.write(`${c.dim(`starting ${stack.name} (${environment})…`)}\n`);
  try {
    await session.start();
  } catch (error) {
    if (error instanceof StackError) throw new UserError(error.message, error.hint);
    throw error;
  }
  context.stdout.write(renderStarted(await session.ps(), c));
  const link = session.consoleLink();
  if (link) context.stdout.write(`console: ${link}\n${c.dim(ONCE)}\n`);
  context.stdout.write(`${c.dim(`logs in ${paths.logs}; Ctrl-C stops everything`)}\n`);
  live = true;
  await session.done;
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  process.off("SIGHUP", stop);
  return interrupted ? 130 : 0;
}

/** Adds `cairn up` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("up")
    .description("run the whole stack here: resources, services (with the gateway), scheduled jobs")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment to run (default: the first whose target is local, else the file as written)")
    .option("-d, --detach", "return once everything is healthy; the stack keeps running in the background")
    .option("--no-watch", "do not apply edits of the stack file while running")
    .action(async (file: string, options: UpOptions) => {
      result.code = await up(file, options, context);
    });
}
