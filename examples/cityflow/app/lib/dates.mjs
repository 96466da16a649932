/** Dates as the processor sees them: calendar days in Europe/Paris, written YYYY-MM-DD. */

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in Europe/Paris, the city the data describes (the scheduler may run anywhere). */
export function parisToday(now = new Date()) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** True when `text` is a real calendar date written YYYY-MM-DD. */
export function isDate(text) {
  if (typeof text !== "string" || !DAY.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** The date `days` after `date` (both YYYY-MM-DD). */
export function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The dates from `from` to `to`, both included. */
export function dateRange(from, to) {
  const out = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * Local date and hour of an open-data timestamp such as `2025-11-04T08:00:00+01:00`: the exports write
 * local Paris time with its offset, so the first characters are the Paris calendar date and hour.
 */
export function localDateHour(timestamp) {
  return { date: timestamp.slice(0, 10), hour: Number(timestamp.slice(11, 13)) };
}
