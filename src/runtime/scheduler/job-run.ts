/**
 * One run of a job: its attempts (1 + retries), each stopped after the job's timeout, all written
 * to the run's own log file. `cancel()` stops the current attempt and any retry.
 */
import { join } from "node:path";
import type { Job } from "../../model/types.js";
import type { Redact } from "../env/redact.js";
import { describeExit } from "../supervisor/backoff.js";
import { type LogListener, LogSink } from "../supervisor/log-sink.js";
import { type Spawned, spawnProcess, stopGroup } from "../supervisor/spawn.js";
import type { Watchdog } from "../supervisor/watchdog.js";
import type { RunRecord } from "./job-state.js";

export interface JobRunOptions {
  readonly job: Job;
  readonly root: string;
  /** Folder of the job's run logs. */
  readonly logDir: string;
  readonly env: Record<string, string>;
  readonly args: readonly string[];
  readonly slot: Date | null;
  readonly startedAt: Date;
  readonly watchdog: Watchdog;
  readonly onLog: LogListener;
  /** Takes secret values out of every line of the run's log (its command line included). */
  readonly redact?: Redact;
  /** Delay before the first retry, doubled for each next one (default 1 s). */
  readonly retryDelayMs?: number;
  /** Grace between SIGTERM and SIGKILL when a run is stopped (default 5 s). */
  readonly stopTimeoutMs?: number;
}

export interface JobRun {
  readonly id: string;
  readonly log: string;
  /** The record as it stands now. */
  record(): RunRecord;
  readonly done: Promise<RunRecord>;
  cancel(): Promise<void>;
}

/** `20261121T020000Z` from a date, for run ids and log file names. */
function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

/** Starts a run; never rejects: failures are in the record. */
export function startJobRun(options: JobRunOptions, sequence = 0): JobRun {
  const { job } = options;
  const id = `${job.name}-${stamp(options.startedAt)}${sequence ? `-${sequence}` : ""}`;
  const log = join(options.logDir, `${id}.log`);
  const sink = new LogSink(log, `job:${job.name}`, options.onLog, undefined, options.redact);
  let current: Spawned | null = null;
  let cancelled = false;
  let wake: (() => void) | null = null;
  let record: RunRecord = {
    id,
    startedAt: options.startedAt.toISOString(),
    endedAt: null,
    slot: options.slot?.toISOString() ?? null,
    status: "running",
    exitCode: null,
    attempts: 0,
    log,
  };
  const finish = async (status: RunRecord["status"], exitCode: number | null): Promise<RunRecord> => {
    record = { ...record, status, exitCode, endedAt: new Date().toISOString() };
    sink.line("cairn", `run ${status}${exitCode !== null ? ` (exit code ${exitCode})` : ""} after ${record.attempts} attempt(s)`);
    await sink.close();
    return record;
  };
  const done = (async (): Promise<RunRecord> => {
    if (!job.command) {
      sink.line("cairn", "the job has no `run` command to start locally");
      return finish("failed", null);
    }
    const attempts = 1 + job.retries;
    let exitCode: number | null = null;
    let status: RunRecord["status"] = "failed";
    for (let attempt = 1; attempt <= attempts && !cancelled; attempt++) {
      record = { ...record, attempts: attempt };
      sink.line("cairn", `attempt ${attempt} of ${attempts}: ${[job.command.shell ?? job.command.argv?.join(" "), ...options.args].join(" ")}`);
      current = spawnProcess({
        command: job.command,
        args: options.args,
        root: options.root,
        cwd: job.cwd,
        env: options.env,
        sink,
        watchdog: options.watchdog,
      });
      let timedOut = false;
      const spawned = current;
      const timer =
        job.timeoutMs === null
          ? null
          : setTimeout(() => {
              timedOut = true;
              sink.line("cairn", `timed out after ${job.timeoutMs} ms: stopping`);
              void stopGroup(spawned, options.stopTimeoutMs ?? 5000);
            }, job.timeoutMs);
      const exit = await spawned.exited;
      if (timer) clearTimeout(timer);
      exitCode = exit.code;
      if (exit.error) sink.line("cairn", exit.error);
      else sink.line("cairn", `exited (${describeExit(exit.code, exit.signal)})`);
      if (cancelled) return finish("cancelled", exitCode);
      if (exit.code === 0 && !timedOut) return finish("succeeded", 0);
      status = timedOut ? "timeout" : "failed";
      if (exit.code === 127 || exit.error) break;
      if (attempt < attempts) {
        const delay = (options.retryDelayMs ?? 1000) * 2 ** (attempt - 1);
        sink.line("cairn", `retrying in ${delay} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, delay);
        });
      }
    }
    return finish(cancelled ? "cancelled" : status, exitCode);
  })();
  return {
    id,
    log,
    record: () => record,
    done,
    async cancel() {
      cancelled = true;
      wake?.();
      if (current) await stopGroup(current, options.stopTimeoutMs ?? 5000);
      await done;
    },
  };
}
