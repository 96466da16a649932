/**
 * Schedules: cron (`0 2 * * *`) and calendar forms (`daily at 02:00`, `every 15m`,
 * `weekly on mon,thu at 03:00`, `monthly on 1 at 04:00`, `hourly`) normalized to a five-field cron
 * and to a systemd OnCalendar expression. Pure.
 */
import type { Schedule } from "./types.js";

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "weekday", min: 0, max: 7 },
] as const;

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const SYSTEMD_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MACROS: Record<string, string> = {
  "@hourly": "0 * * * *",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
};

export type ScheduleResult = { ok: true; schedule: Schedule } | { ok: false; error: string };

function nameValue(token: string, field: number): number {
  const lower = token.toLowerCase();
  if (field === 3 && MONTHS.includes(lower)) return MONTHS.indexOf(lower) + 1;
  if (field === 4 && DAYS.includes(lower)) return DAYS.indexOf(lower);
  return /^\d+$/.test(token) ? Number(token) : Number.NaN;
}

/** Expands one cron field into the sorted set of values it allows. */
function expandField(text: string, field: number): number[] | string {
  const spec = FIELDS[field] ?? FIELDS[0];
  const { min, max, name }: { min: number; max: number; name: string } = spec;
  const values = new Set<number>();
  for (const item of text.split(",")) {
    const [range = "", stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return `bad step "${stepText}" in ${name}`;
    let low: number = min;
    let high: number = max;
    if (range !== "*") {
      const [a = "", b] = range.split("-");
      low = nameValue(a, field);
      high = b === undefined ? (stepText === undefined ? low : max) : nameValue(b, field);
    }
    if (Number.isNaN(low) || Number.isNaN(high) || low < min || high > max || low > high) return `"${item}" is out of range for ${name} (${min}-${max})`;
    for (let v = low; v <= high; v += step) values.add(field === 4 && v === 7 ? 0 : v);
  }
  return [...values].sort((a, b) => a - b);
}

/** `steps: false` for weekdays: systemd accepts `a/b` repetition in dates and times, not in weekdays. */
function compact(values: number[], min: number, max: number, format: (n: number) => string, steps = true): string {
  if (values.length === max - min + 1) return "*";
  const first = values[0] ?? min;
  const step = (values[1] ?? first) - first;
  const progression = steps && values.length > 2 && step > 1 && values.every((v, i) => v === first + i * step) && (values.at(-1) ?? 0) + step > max;
  if (progression) return `${format(first)}/${step}`;
  const runs: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] ?? 0) === (values[j] ?? 0) + 1) j++;
    const a = values[i] ?? 0;
    const b = values[j] ?? 0;
    runs.push(j - i >= 2 ? `${format(a)}..${format(b)}` : j > i ? `${format(a)},${format(b)}` : format(a));
    i = j + 1;
  }
  return runs.join(",");
}

/** Converts a five-field cron expression into a systemd OnCalendar expression. */
export function cronToCalendar(cron: string): { ok: true; calendar: string } | { ok: false; error: string } {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return { ok: false, error: `cron needs 5 fields (minute hour day month weekday), got ${fields.length}` };
  const sets: number[][] = [];
  for (const [i, text] of fields.entries()) {
    const values = expandField(text, i);
    if (typeof values === "string") return { ok: false, error: values };
    sets.push(values);
  }
  const [minutes = [], hours = [], days = [], months = [], weekdays = []] = sets;
  if (fields[2] !== "*" && fields[4] !== "*") {
    return { ok: false, error: "both a day of month and a weekday: cron runs when either matches, systemd and most schedulers only when both do; keep one" };
  }
  const pad = (n: number) => String(n).padStart(2, "0");
  // Every weekday (`0-6`, `*/1`) is no weekday restriction: systemd has no `*` for weekdays.
  const weekdayText = compact(weekdays, 0, 6, (n) => SYSTEMD_DAYS[n] ?? "Sun", false);
  const dow = fields[4] === "*" || weekdayText === "*" ? "" : `${weekdayText} `;
  const date = `*-${compact(months, 1, 12, pad)}-${compact(days, 1, 31, pad)}`;
  const time = `${compact(hours, 0, 23, pad)}:${compact(minutes, 0, 59, pad)}:00`;
  return { ok: true, calendar: `${dow}${date} ${time}` };
}

function parseTime(text: string): [number, number] | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour < 24 && minute < 60 ? [hour, minute] : null;
}

/** Turns a calendar form into cron, or returns null when the text is not a calendar form. */
function calendarToCron(text: string): string | { error: string } | null {
  const lower = text.trim().toLowerCase().replace(/\s+/g, " ");
  if (lower === "hourly") return "0 * * * *";
  if (lower === "daily") return "0 0 * * *";
  if (lower === "weekly") return "0 0 * * 1";
  if (lower === "monthly") return "0 0 1 * *";
  const every = /^every (\d+) ?(m|min|minutes?|h|hours?)$/.exec(lower);
  if (every) {
    const n = Number(every[1]);
    const unit = every[2]?.startsWith("h") ? "h" : "m";
    const limit = unit === "h" ? 24 : 60;
    if (n < 1 || limit % n !== 0) return { error: `every ${n}${unit}: the interval must divide ${limit} evenly` };
    return unit === "m" ? `${n === 1 ? "*" : `*/${n}`} * * * *` : `0 ${n === 1 ? "*" : `*/${n}`} * * *`;
  }
  const form = /^(daily|weekdays|weekends|weekly on ([a-z,]+)|monthly on (\d{1,2})) at (\S+)$/.exec(lower);
  if (!form) return null;
  const time = parseTime(form[4] ?? "");
  if (!time) return { error: `"${form[4]}" is not a time of day (HH:MM, 24-hour)` };
  const [hour, minute] = time;
  if (form[1] === "daily") return `${minute} ${hour} * * *`;
  if (form[1] === "weekdays") return `${minute} ${hour} * * 1-5`;
  if (form[1] === "weekends") return `${minute} ${hour} * * 0,6`;
  if (form[2]) {
    const days = form[2].split(",").map((d) => DAYS.indexOf(d.slice(0, 3)));
    if (days.some((d) => d < 0)) return { error: `"${form[2]}" is not a list of weekdays (mon, tue, ...)` };
    return `${minute} ${hour} * * ${days.join(",")}`;
  }
  const day = Number(form[3]);
  if (day < 1 || day > 31) return { error: `day ${day} is not a day of the month (1-31)` };
  return `${minute} ${hour} ${day} * *`;
}

let canonicalZones: ReadonlySet<string> | null = null;

/**
 * Checks an IANA time zone name with the platform's own database. The list of canonical names
 * answers most names in 2 ms; a formatter, which accepts aliases too ("US/Pacific"), costs 30 ms for
 * the first one built in a process, so it only judges the names the list does not hold.
 */
export function isTimeZone(name: string): boolean {
  canonicalZones ??= new Set(Intl.supportedValuesOf("timeZone"));
  if (name === "UTC" || canonicalZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Parses a schedule as written in a stack file. */
export function parseSchedule(source: string, timezone = "UTC"): ScheduleResult {
  const trimmed = source.trim();
  const macro = MACROS[trimmed.toLowerCase()];
  const calendar = macro ?? calendarToCron(trimmed);
  if (calendar !== null && typeof calendar === "object") return { ok: false, error: calendar.error };
  const cron = calendar ?? trimmed;
  if (calendar === null && !/^\S+(\s+\S+){4}$/.test(trimmed)) {
    return { ok: false, error: `"${source}" is neither a cron expression nor a calendar form` };
  }
  const converted = cronToCalendar(cron);
  if (!converted.ok) return { ok: false, error: converted.error };
  const zone = timezone === "UTC" ? "" : ` ${timezone}`;
  return { ok: true, schedule: { source: trimmed, cron: canonicalCron(cron), calendar: `${converted.calendar}${zone}`, timezone } };
}

/**
 * A valid cron expression in the form every scheduler reads: numbers only (no month or weekday
 * names), Sunday as 0 (never 7), `*`, `*\/n` (not for weekdays, which some schedulers turn into
 * names), ranges `a-b` and lists. `0 3 * * 7` -> `0 3 * * 0`, `0 3 * * mon,wed,fri` ->
 * `0 3 * * 1,3,5`, `5-10/2 * * * *` -> `5,7,9 * * * *`.
 */
function canonicalCron(cron: string): string {
  return cron
    .trim()
    .split(/\s+/)
    .map((text, field) => {
      const values = expandField(text, field);
      if (typeof values === "string") return text;
      const { min, max } = FIELDS[field] ?? FIELDS[0];
      const top = field === 4 ? 6 : max;
      if (values.length === top - min + 1) return "*";
      const step = (values[1] ?? 0) - (values[0] ?? 0);
      const every =
        field !== 4 && values.length > 2 && step > 1 && values[0] === min && values.every((v, i) => v === min + i * step) && (values.at(-1) ?? 0) + step > top;
      if (every) return `*/${step}`;
      const runs: string[] = [];
      for (let i = 0; i < values.length; ) {
        let j = i;
        while (j + 1 < values.length && (values[j + 1] ?? 0) === (values[j] ?? 0) + 1) j++;
        runs.push(j - i >= 2 ? `${values[i]}-${values[j]}` : values.slice(i, j + 1).join(","));
        i = j + 1;
      }
      return runs.join(",");
    })
    .join(" ");
}
