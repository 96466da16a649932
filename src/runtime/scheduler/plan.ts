/**
 * When a job runs: the next slot of its schedule, the slot missed while the stack was down, and the
 * date a run stands for (`${run.date}`), all in the job's time zone. Pure (croner only computes).
 */
import { Cron } from "croner";
import type { Schedule } from "../../model/types.js";

function cron(schedule: Schedule): Cron {
  return new Cron(schedule.cron, { timezone: schedule.timezone, paused: true });
}

/** The first slot strictly after `after`, or null when the schedule never fires again. */
export function nextSlot(schedule: Schedule, after: Date): Date | null {
  return cron(schedule).nextRun(after);
}

/**
 * The latest slot in (`seen`, `now`]: the run a persistent job missed while nothing was watching.
 * Several missed slots give one run (the latest), as systemd's `Persistent=true` does.
 */
export function missedSlot(schedule: Schedule, seen: Date, now: Date): Date | null {
  const c = cron(schedule);
  let last: Date | null = null;
  let cursor: Date | null = c.nextRun(seen);
  for (let i = 0; cursor && cursor <= now && i < 100_000; i++) {
    last = cursor;
    cursor = c.nextRun(cursor);
  }
  return last;
}

/** `YYYY-MM-DD` of an instant in a time zone. */
export function dateIn(time: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(time);
}
