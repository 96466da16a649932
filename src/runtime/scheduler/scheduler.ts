/**
 * The scheduler: runs each job on its schedule in its time zone, catches up a `persistent` job's
 * run missed while the stack was down (once), applies the concurrency policy (forbid, allow,
 * replace), and records each run. Time comes from an injected clock. `close()` is idempotent.
 */
import type { Job } from "../../model/types.js";
import type { Clock } from "./clock.js";
import type { JobRun } from "./job-run.js";
import { type JobsState, type RunRecord, readJobsState, writeJobsState } from "./job-state.js";
import { dateIn, missedSlot, nextSlot } from "./plan.js";

/** Starts a run of a job for a slot (null: by hand) and a `${run.date}`; extra args from `cairn run`. */
export type LaunchJob = (job: Job, slot: Date | null, runDate: string, extraArgs: readonly string[]) => JobRun;

export interface SchedulerOptions {
  readonly jobs: readonly Job[];
  readonly clock: Clock;
  /** Path of `jobs.json`. */
  readonly statePath: string;
  readonly launch: LaunchJob;
  /** A note for the live view (a skipped run, a catch-up). */
  readonly note?: (job: string, text: string) => void;
}

/** What `cairn ps` shows for a job. */
export interface JobSnapshot {
  readonly name: string;
  readonly schedule: string | null;
  readonly timezone: string | null;
  readonly concurrency: Job["concurrency"];
  readonly running: number;
  readonly nextRun: string | null;
  readonly lastRun: RunRecord | null;
}

export class Scheduler {
  private state: JobsState = {};
  private readonly timers = new Map<string, () => void>();
  private readonly next = new Map<string, Date | null>();
  private readonly running = new Map<string, Set<JobRun>>();
  private closed = false;

  constructor(private readonly options: SchedulerOptions) {}

  /** Loads the state, runs missed persistent slots once, and arms every schedule. */
  start(): void {
    this.state = readJobsState(this.options.statePath);
    const now = this.options.clock.now();
    for (const job of this.options.jobs) {
      if (!job.schedule) continue;
      const seen = this.state[job.name]?.seenAt;
      if (job.persistent && seen) {
        const missed = missedSlot(job.schedule, new Date(seen), now);
        if (missed) {
          this.options.note?.(job.name, `catching up the run of ${missed.toISOString()} missed while the stack was down`);
          this.fire(job, missed);
        }
      }
      this.record(job.name, { seenAt: now.toISOString() });
      this.arm(job);
    }
    this.save();
  }

  private arm(job: Job): void {
    if (!job.schedule || this.closed) return;
    const now = this.options.clock.now();
    const slot = nextSlot(job.schedule, now);
    this.next.set(job.name, slot);
    if (!slot) return;
    this.timers.set(
      job.name,
      this.options.clock.setTimer(() => {
        this.fire(job, slot);
        this.record(job.name, { seenAt: slot.toISOString() });
        this.save();
        this.arm(job);
      }, slot.getTime() - now.getTime()),
    );
  }

  private record(name: string, patch: Partial<JobsState[string]>): void {
    this.state[name] = { seenAt: null, lastRun: null, ...this.state[name], ...patch };
  }

  private save(): void {
    writeJobsState(this.options.statePath, this.state);
  }

  /** Starts a run by the job's concurrency policy; returns null when `forbid` skips it. */
  private fire(job: Job, slot: Date | null, extraArgs: readonly string[] = []): JobRun | null {
    if (this.closed) return null;
    const active = this.running.get(job.name) ?? new Set<JobRun>();
    this.running.set(job.name, active);
    if (active.size > 0 && job.concurrency === "forbid") {
      this.options.note?.(
        job.name,
        `skipped the run of ${(slot ?? this.options.clock.now()).toISOString()}: the previous run is still running (concurrency: forbid)`,
      );
      return null;
    }
    if (job.concurrency === "replace") for (const run of active) void run.cancel();
    const run = this.options.launch(job, slot, dateIn(slot ?? this.options.clock.now(), job.timezone), extraArgs);
    active.add(run);
    this.record(job.name, { lastRun: run.record() });
    this.save();
    void run.done.then((record) => {
      active.delete(run);
      if (this.state[job.name]?.lastRun?.id === record.id) {
        this.record(job.name, { lastRun: record });
        this.save();
      }
    });
    return run;
  }

  /**
   * Runs a job now (`cairn run`), by its concurrency policy; resolves with the finished record,
   * or null when a `forbid` job is already running.
   */
  async runNow(name: string, extraArgs: readonly string[] = []): Promise<RunRecord | null> {
    const job = this.options.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`no job named "${name}"`);
    const run = this.fire(job, null, extraArgs);
    return run ? run.done : null;
  }

  snapshot(): JobSnapshot[] {
    return this.options.jobs.map((job) => ({
      name: job.name,
      schedule: job.schedule?.source ?? null,
      timezone: job.schedule ? job.timezone : null,
      concurrency: job.concurrency,
      running: this.running.get(job.name)?.size ?? 0,
      nextRun: this.next.get(job.name)?.toISOString() ?? null,
      lastRun: this.state[job.name]?.lastRun ?? null,
    }));
  }

  /** Stops the timers and the runs in progress; remembers until when the schedules were watched. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const cancel of this.timers.values()) cancel();
    const runs = [...this.running.values()].flatMap((set) => [...set]);
    await Promise.all(runs.map((run) => run.cancel()));
    const now = this.options.clock.now().toISOString();
    for (const job of this.options.jobs) if (job.schedule) this.record(job.name, { seenAt: now });
    this.save();
  }
}
