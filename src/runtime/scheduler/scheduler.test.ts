import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { waitFor } from "../../test-support/wait.js";
import { startWatchdog } from "../supervisor/watchdog.js";
import type { Clock } from "./clock.js";
import { type JobRun, startJobRun } from "./job-run.js";
import { writeJobsState } from "./job-state.js";
import { dateIn, missedSlot } from "./plan.js";
import { type LaunchJob, Scheduler } from "./scheduler.js";

/** A clock that moves only when told; timers fire in time order. */
function fakeClock(start: string): Clock & { advance(ms: number): void } {
  let now = new Date(start).getTime();
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => new Date(now),
    setTimer(fn, ms) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
  };
}

const watchdog = startWatchdog(300);
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function setup(yaml: string, clock: Clock, statePath: string) {
  const stack = stackFrom(yaml);
  const dir = mkdtempSync(join(tmpdir(), "cairn-sched-"));
  const runs: { slot: Date | null; runDate: string }[] = [];
  const launched: JobRun[] = [];
  const launch: LaunchJob = (job, slot, runDate, extra) => {
    runs.push({ slot, runDate });
    const run = startJobRun(
      { job, root: dir, logDir: join(dir, "logs"), env: {}, args: extra, slot, startedAt: clock.now(), watchdog, onLog: () => {}, retryDelayMs: 10 },
      runs.length,
    );
    launched.push(run);
    return run;
  };
  const scheduler = new Scheduler({ jobs: stack.jobs, clock, statePath, launch });
  closers.push(() => scheduler.close());
  return { scheduler, runs, launched, dir };
}

const nightly = (run: string, extra = "") => `name: t
jobs:
  nightly:
    run: ${run}
    schedule: daily at 02:00
    timezone: Europe/Paris
    persistent: true
${extra}`;

describe("scheduler", () => {
  it("runs a persistent job missed during downtime once on start, for the latest missed date", async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), "cairn-state-")), "jobs.json");
    writeJobsState(statePath, { nightly: { seenAt: "2026-11-18T10:00:00Z", lastRun: null } });
    const clock = fakeClock("2026-11-21T12:00:00Z");
    const { scheduler, runs } = setup(nightly(`"true"`), clock, statePath);
    scheduler.start();
    expect(runs).toEqual([{ slot: new Date("2026-11-21T01:00:00Z"), runDate: "2026-11-21" }]);
    await waitFor(() => scheduler.snapshot()[0]?.lastRun?.status === "succeeded", 10_000, "the caught-up run to end");
    expect(scheduler.snapshot()[0]).toMatchObject({ nextRun: "2026-11-22T01:00:00.000Z", lastRun: { status: "succeeded", exitCode: 0 } });
    clock.advance(13 * 3600_000);
    expect(runs.map((r) => r.runDate)).toEqual(["2026-11-21", "2026-11-22"]);
    await scheduler.close();
    // Started again later the same day: nothing was missed, nothing runs.
    const again = setup(nightly(`"true"`), clock, statePath);
    again.scheduler.start();
    expect(again.runs).toEqual([]);
  });

  it("does not catch up a job that is not persistent, nor on the very first start", () => {
    const statePath = join(mkdtempSync(join(tmpdir(), "cairn-state-")), "jobs.json");
    const clock = fakeClock("2026-11-21T12:00:00Z");
    const first = setup(nightly(`"true"`), clock, statePath);
    first.scheduler.start();
    expect(first.runs).toEqual([]);
    writeJobsState(statePath, { nightly: { seenAt: "2026-11-18T10:00:00Z", lastRun: null } });
    const plain = setup(nightly(`"true"`).replace("persistent: true", "persistent: false"), clock, statePath);
    plain.scheduler.start();
    expect(plain.runs).toEqual([]);
  });

  it("never overlaps a forbid job: a slot that comes while it runs is skipped", async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), "cairn-state-")), "jobs.json");
    const clock = fakeClock("2026-11-21T12:00:00Z");
    const yaml = `name: t
jobs:
  tick:
    run: sleep 0.5; echo done >> ran.txt
    schedule: "* * * * *"
    concurrency: forbid
`;
    const { scheduler, runs, launched, dir } = setup(yaml, clock, statePath);
    scheduler.start();
    clock.advance(60_000);
    clock.advance(60_000);
    clock.advance(60_000);
    expect(runs).toHaveLength(1);
    expect(await scheduler.runNow("tick")).toBeNull();
    await launched[0]?.done;
    await waitFor(() => scheduler.snapshot()[0]?.running === 0, 10_000, "the scheduler to see the run end");
    expect(readFileSync(join(dir, "ran.txt"), "utf8")).toBe("done\n");
    clock.advance(60_000);
    expect(runs).toHaveLength(2);
  });

  it("replace stops the running run before starting the new one; allow lets runs overlap", async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), "cairn-state-")), "jobs.json");
    const clock = fakeClock("2026-11-21T12:00:00Z");
    const yaml = `name: t
jobs:
  swap: { run: "sleep 5", concurrency: replace }
  many: { run: "sleep 0.3", concurrency: allow }
`;
    const { scheduler } = setup(yaml, clock, statePath);
    scheduler.start();
    const first = scheduler.runNow("swap");
    const second = scheduler.runNow("swap");
    expect(await first).toMatchObject({ status: "cancelled" });
    expect(scheduler.snapshot().find((j) => j.name === "swap")?.running).toBe(1);
    const both = [scheduler.runNow("many"), scheduler.runNow("many")];
    expect(scheduler.snapshot().find((j) => j.name === "many")?.running).toBe(2);
    expect((await Promise.all(both)).map((r) => r?.status)).toEqual(["succeeded", "succeeded"]);
    await scheduler.close();
    expect(await second).toMatchObject({ status: "cancelled" });
  });

  it("retries a failing run, stops one that times out, and keeps each run's log", async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), "cairn-state-")), "jobs.json");
    const clock = fakeClock("2026-11-21T12:00:00Z");
    const yaml = `name: t
jobs:
  flaky: { run: "echo trying; exit 3", retries: 2 }
  slow: { run: "sleep 5", timeout: 200ms }
`;
    const { scheduler } = setup(yaml, clock, statePath);
    scheduler.start();
    const flaky = await scheduler.runNow("flaky");
    expect(flaky).toMatchObject({ status: "failed", exitCode: 3, attempts: 3 });
    expect(readFileSync(flaky?.log ?? "", "utf8").match(/ out trying/g)).toHaveLength(3);
    const slow = await scheduler.runNow("slow");
    expect(slow).toMatchObject({ status: "timeout", attempts: 1 });
  });
});

describe("plan", () => {
  it("finds the latest missed slot and the date in the job's time zone", () => {
    const schedule = { source: "daily at 00:30", cron: "30 0 * * *", calendar: "", timezone: "Europe/Paris" };
    const missed = missedSlot(schedule, new Date("2026-11-19T00:00:00Z"), new Date("2026-11-21T12:00:00Z"));
    expect(missed?.toISOString()).toBe("2026-11-20T23:30:00.000Z");
    expect(dateIn(missed ?? new Date(), "Europe/Paris")).toBe("2026-11-21");
    expect(dateIn(missed ?? new Date(), "UTC")).toBe("2026-11-20");
  });
});
