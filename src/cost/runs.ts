/** How often a schedule fires in a month, for pricing jobs by their run time. Pure. */

const RANGES = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
] as const;

/** Days in an average month (365.25 / 12). */
export const DAYS_PER_MONTH = 30.44;

function count(field: string, index: number): number {
  const [min, max]: readonly [number, number] = RANGES[index] ?? [0, 0];
  const values = new Set<number>();
  for (const item of field.split(",")) {
    const [range = "*", stepText] = item.split("/");
    const step = stepText ? Math.max(1, Number(stepText) || 1) : 1;
    let low: number = min;
    let high: number = max;
    if (range !== "*") {
      const [a, b] = range.split("-");
      low = Number(a);
      high = b === undefined ? (stepText ? max : low) : Number(b);
    }
    if (!Number.isFinite(low) || !Number.isFinite(high)) return max - min + 1;
    for (let v = low; v <= high; v += step) values.add(index === 4 ? v % 7 : v);
  }
  return values.size;
}

/** Runs per average month of a five-field cron (a weekday or day-of-month list narrows the days). */
export function runsPerMonth(cron: string): number {
  const [minute = "*", hour = "*", dom = "*", month = "*", dow = "*"] = cron.trim().split(/\s+/);
  const perDay = count(minute, 0) * count(hour, 1);
  let days = DAYS_PER_MONTH;
  if (dom !== "*" && dow === "*") days = count(dom, 2);
  else if (dow !== "*" && dom === "*") days = (count(dow, 4) * DAYS_PER_MONTH) / 7;
  else if (dow !== "*" && dom !== "*") days = Math.min(DAYS_PER_MONTH, count(dom, 2) + (count(dow, 4) * DAYS_PER_MONTH) / 7);
  const months = month === "*" ? 1 : count(month, 3) / 12;
  return Math.round(perDay * days * months * 100) / 100;
}
