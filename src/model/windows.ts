/**
 * Backup and maintenance windows of managed data stores (RDS, ElastiCache), in UTC as AWS takes them:
 * a daily backup schedule becomes a backup window, `maintenance: sun 04:00` (or `sun 04:00-05:00`) a
 * weekly window. Pure.
 */
import type { MaintenanceWindow, Schedule, Weekday } from "./types.js";

export const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** The form the schema accepts: `sun 04:00` or `sun 04:00-05:00` (UTC). */
export const MAINTENANCE_PATTERN = /^(sun|mon|tue|wed|thu|fri|sat) ([01]\d|2[0-3]):([0-5]\d)(?:-([01]\d|2[0-3]):([0-5]\d))?$/;

export function parseMaintenance(text: string): MaintenanceWindow | null {
  const m = MAINTENANCE_PATTERN.exec(text.trim().toLowerCase());
  if (!m) return null;
  const start = Number(m[2]) * 60 + Number(m[3]);
  const end = m[4] === undefined ? null : Number(m[4]) * 60 + Number(m[5]);
  return { day: m[1] as Weekday, startMinute: start, endMinute: end === null ? null : end <= start ? end + 24 * 60 : end };
}

const DAY = 24 * 60;
const WEEK = 7 * DAY;
const hhmm = (minute: number) => {
  const m = ((minute % DAY) + DAY) % DAY;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
};

/** `sun 04:00-05:00` or `sun 04:00`, as the file writes it (UTC). */
export function maintenanceText(window: MaintenanceWindow): string {
  return `${window.day} ${hhmm(window.startMinute)}${window.endMinute === null ? "" : `-${hhmm(window.endMinute)}`}`;
}

/** The minute of the day a schedule runs at, when it runs once a day at a fixed UTC time. */
export function dailyMinute(schedule: Schedule): number | null {
  if (schedule.timezone !== "UTC") return null;
  const m = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(schedule.cron);
  return m ? Number(m[2]) * 60 + Number(m[1]) : null;
}

/** `03:00-04:00`: the daily window that starts when the schedule runs, `minutes` long (RDS and ElastiCache form). */
export function dailyWindow(schedule: Schedule, minutes: number): string | null {
  const start = dailyMinute(schedule);
  return start === null ? null : `${hhmm(start)}-${hhmm(start + minutes)}`;
}

/** `sun:04:00-sun:05:00`, at least `minimum` minutes long (RDS: 30, ElastiCache: 60). */
export function weeklyWindow(window: MaintenanceWindow, minimum: number): string {
  const start = WEEKDAYS.indexOf(window.day) * DAY + window.startMinute;
  const end = start + Math.max(minimum, (window.endMinute ?? 0) - window.startMinute);
  const at = (minute: number) => `${WEEKDAYS[Math.floor((minute % WEEK) / DAY)]}:${hhmm(minute)}`;
  return `${at(start)}-${at(end)}`;
}

/** True when a daily window (`03:00-04:00`) and a weekly one (`sun:04:00-sun:05:00`) share a minute. */
export function windowsOverlap(daily: string, weekly: string): boolean {
  const minute = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const [from, to] = daily.split("-").map(minute) as [number, number];
  const length = (to - from + DAY) % DAY;
  const [a, b] = weekly.split("-").map((part) => {
    const [day, time] = [part.slice(0, 3), part.slice(4)];
    return WEEKDAYS.indexOf(day as Weekday) * DAY + minute(time);
  }) as [number, number];
  const weekEnd = b > a ? b : b + WEEK;
  for (let d = -1; d < 8; d++) {
    const s = d * DAY + from;
    if (s < weekEnd && a < s + length) return true;
  }
  return false;
}
