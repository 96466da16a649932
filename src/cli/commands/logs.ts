/** `cairn logs [name] [-f] [--since 10m] [-s file] [--env NAME]`: service and job logs, merged by time. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { knownSecrets } from "../../runtime/env/known-secrets.js";
import { locate } from "../../runtime/stack-runner/launch.js";
import { formatLogLine } from "../../runtime/stack-runner/render.js";
import { parseLogLine } from "../../runtime/supervisor/log-sink.js";
import { parseDuration } from "../../schema/units.js";
import { type Context, paint, UserError } from "../context.js";
import { environmentOf } from "../load-or-fail.js";
import { remoteLogsCommand } from "./remote.js";

export interface LogsOptions {
  readonly stack?: string;
  readonly env?: string;
  readonly follow?: boolean;
  readonly since?: string;
  readonly remote?: boolean;
}

/** Log files of the state folder with the name each shows: `web.1`, `job:processor`. */
function logFiles(dir: string): { file: string; source: string; group: string }[] {
  if (!existsSync(dir)) return [];
  const files: { file: string; source: string; group: string }[] = [];
  for (const entry of readdirSync(dir)) {
    const match = /^(.+)\.(\d+)\.log$/.exec(entry);
    if (match?.[1]) files.push({ file: join(dir, entry), source: `${match[1]}.${match[2]}`, group: match[1] });
  }
  const jobs = join(dir, "jobs");
  if (existsSync(jobs)) {
    for (const job of readdirSync(jobs))
      for (const run of readdirSync(join(jobs, job))) files.push({ file: join(jobs, job, run), source: `job:${job}`, group: job });
  }
  return files;
}

function since(text: string | undefined, now: Date): Date | null {
  if (!text) return null;
  const parsed = parseDuration(text);
  if (parsed.ok) return new Date(now.getTime() - parsed.value);
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new UserError(`--since ${text} is neither a duration (10m, 2h) nor a date`, "Use --since 15m or --since 2026-11-21T08:00:00Z.");
  return date;
}

/** Prints the logs; with `follow`, keeps printing new lines until `signal` aborts. */
export async function logs(name: string | undefined, options: LogsOptions, context: Context, signal?: AbortSignal): Promise<number> {
  if (options.remote) return remoteLogsCommand(name, options, context, signal ?? (options.follow ? abortOnInterrupt() : undefined));
  const path = options.stack ?? ".";
  const environment = await environmentOf(path, options.env, context);
  const { paths, root } = locate(path, context.cwd, environment);
  const { redact } = knownSecrets(root, paths);
  const c = paint(context);
  const from = since(options.since, context.now());
  const select = () => logFiles(paths.logs).filter((f) => !name || f.group === name || f.source === name);
  const initial = select();
  if (name && initial.length === 0 && !options.follow) {
    const known = [...new Set(logFiles(paths.logs).map((f) => f.group))].sort();
    throw new UserError(
      `no logs for "${name}" in ${paths.logs}`,
      known.length ? `Known names: ${known.join(", ")}.` : "Start the stack with `cairn up` first.",
    );
  }
  const width = Math.max(6, ...initial.map((f) => f.source.length));
  const offsets = new Map<string, number>();
  const read = (files: typeof initial, filter: Date | null) => {
    const lines: { time: Date; source: string; stream: "out" | "err" | "cairn"; text: string }[] = [];
    for (const f of files) {
      const text = readFileSync(f.file, "utf8");
      const start = offsets.get(f.file) ?? 0;
      const end = text.lastIndexOf("\n") + 1;
      offsets.set(f.file, Math.max(start, end));
      for (const raw of text.slice(start, end).split("\n")) {
        const line = parseLogLine(raw);
        if (line && (!filter || line.time >= filter)) lines.push({ time: line.time, source: f.source, stream: line.stream as "out", text: redact(line.text) });
      }
    }
    lines.sort((a, b) => a.time.getTime() - b.time.getTime());
    for (const line of lines) context.stdout.write(formatLogLine(line, width, c));
  };
  read(initial, from);
  if (!options.follow) return 0;
  const stop = signal ?? abortOnInterrupt();
  while (!stop.aborted) {
    await new Promise((r) => setTimeout(r, 200));
    const files = select().filter((f) => (offsets.get(f.file) ?? 0) < statSync(f.file).size || !offsets.has(f.file));
    if (files.length) read(files, null);
  }
  return 0;
}

function abortOnInterrupt(): AbortSignal {
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  return controller.signal;
}

/** Adds `cairn logs` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("logs")
    .description("show service and job logs (each replica and run keeps its own file), merged by time")
    .argument("[name]", "a service, a replica (web.2) or a job; all when absent")
    .option("-s, --stack <file>", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the local one)")
    .option("-f, --follow", "keep printing new lines")
    .option("--since <when>", "only lines since a duration ago (10m, 2h) or a date")
    .option("--remote", "the journal of the hosts of a vm environment, not a local run")
    .action(async (name: string | undefined, options: LogsOptions) => {
      result.code = await logs(name, options, context);
    });
}
