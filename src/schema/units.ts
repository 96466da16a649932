/**
 * Parsers for the human units a stack file uses: durations (`30s`, `5m`, `1h30m`, `7d`),
 * sizes (`512Mi`, `4GB`, `200 MB`) and percentages (`70%`). Pure; each returns either a
 * value or an error sentence that says what was expected.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const DURATION_WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;

/** Parses a duration such as `30s`, `1h30m` or `7d` into milliseconds. */
export function parseDuration(input: string | number): Parsed<number> {
  if (typeof input === "number") {
    if (Number.isFinite(input) && input >= 0) return { ok: true, value: input * 1000 };
    return { ok: false, error: "a duration must be zero or more seconds" };
  }
  const text = input.trim().replace(/\s+/g, "");
  if (!DURATION_WHOLE.test(text)) {
    return { ok: false, error: `"${input}" is not a duration (use a number and a unit: 500ms, 30s, 5m, 1h, 7d, 2w)` };
  }
  let total = 0;
  for (const match of text.matchAll(DURATION_PART)) total += Number(match[1]) * (DURATION_UNITS[match[2] ?? "s"] ?? 0);
  return { ok: true, value: Math.round(total) };
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  ki: 1024,
  kib: 1024,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
};

/** Parses a size such as `512Mi`, `4GB` or `200 MB` into bytes. */
export function parseSize(input: string | number): Parsed<number> {
  if (typeof input === "number") {
    if (Number.isFinite(input) && input >= 0) return { ok: true, value: input };
    return { ok: false, error: "a size must be zero or more bytes" };
  }
  const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(input.trim());
  const factor = match ? SIZE_UNITS[(match[2] || "b").toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    return { ok: false, error: `"${input}" is not a size (use a number and a unit: 512Mi, 2Gi, 4GB, 200MB)` };
  }
  return { ok: true, value: Math.round(Number(match[1]) * factor) };
}

/** Parses a percentage such as `70%` (or a bare number 70) into a number between 0 and 100. */
export function parsePercent(input: string | number): Parsed<number> {
  const text = typeof input === "number" ? String(input) : input.trim();
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  if (!match || value > 100) return { ok: false, error: `"${input}" is not a percentage (use a value from 0% to 100%)` };
  return { ok: true, value };
}

/** Formats milliseconds back into the shortest exact unit form (`90000` -> `90s`, `3600000` -> `1h`). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * Formats bytes in the exact unit that gives the smallest number, binary or decimal
 * (`536870912` -> `512Mi`, `4000000000` -> `4GB`, not `3906250Ki`).
 */
export function formatSize(bytes: number): string {
  const units = [
    ["Ti", 1024 ** 4],
    ["TB", 1e12],
    ["Gi", 1024 ** 3],
    ["GB", 1e9],
    ["Mi", 1024 ** 2],
    ["MB", 1e6],
    ["Ki", 1024],
    ["kB", 1e3],
  ] as const;
  let best = `${bytes}`;
  let smallest = bytes;
  for (const [unit, size] of units) {
    if (bytes >= size && bytes % size === 0 && bytes / size < smallest) {
      best = `${bytes / size}${unit}`;
      smallest = bytes / size;
    }
  }
  return best;
}
