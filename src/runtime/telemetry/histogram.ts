/**
 * Request durations as fixed buckets: upper bounds in milliseconds on a 1-1.25-1.5-2-2.5-3-4-5-6-8
 * series per decade, from 0.1 ms to 100 s (61 bounds, then one bucket for anything longer). A
 * quantile read from them is within a quarter of the true value (the widest step, 1 to 1.25, ...),
 * and the same bounds are the `le` labels of the Prometheus histogram. Recording is one binary
 * search and one increment on a typed array: no allocation. Pure.
 */

const STEPS = [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8];

/** Upper bounds of the buckets (ms), ascending; the last bucket (above the last bound) is unbounded. */
export const BUCKET_BOUNDS_MS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let decade = -1; decade <= 4; decade++) for (const step of STEPS) bounds.push(Number((step * 10 ** decade).toPrecision(3)));
  bounds.push(100_000);
  return bounds;
})();

const BOUNDS = Float64Array.from(BUCKET_BOUNDS_MS);
const LAST = BUCKET_BOUNDS_MS[BUCKET_BOUNDS_MS.length - 1] ?? 0;
/** Buckets per histogram: one per bound and one above the last. */
export const BUCKETS = BOUNDS.length + 1;

/** The bucket of a duration: the first whose bound is at least `ms`. */
export function bucketOf(ms: number): number {
  if (!(ms > (BOUNDS[0] ?? 0))) return 0; // NaN and negatives too
  let low = 0;
  let high = BOUNDS.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((BOUNDS[mid] ?? 0) < ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Counts of durations by bucket, with their sum; a fixed size whatever the number recorded. */
export class DurationHistogram {
  readonly counts = new Float64Array(BUCKETS);
  count = 0;
  sumMs = 0;

  record(ms: number): void {
    const b = bucketOf(ms);
    this.counts[b] = (this.counts[b] ?? 0) + 1;
    this.count++;
    if (ms > 0) this.sumMs += ms;
  }

  /** Adds another histogram's counts into this one. */
  add(other: HistogramCounts): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    this.count += other.count;
    this.sumMs += other.sumMs;
  }

  /** A frozen copy. */
  copy(): HistogramCounts {
    return { counts: Float64Array.from(this.counts), count: this.count, sumMs: this.sumMs };
  }
}

/** A histogram's values, as read (see `DurationHistogram.copy`). */
export interface HistogramCounts {
  readonly counts: Float64Array;
  readonly count: number;
  readonly sumMs: number;
}

/** `newer - older`, bucket by bucket: the durations recorded between two reads of one histogram. */
export function histogramDelta(newer: HistogramCounts, older: HistogramCounts | null): HistogramCounts {
  if (older === null) return newer;
  const counts = new Float64Array(BUCKETS);
  for (let i = 0; i < BUCKETS; i++) counts[i] = Math.max(0, (newer.counts[i] ?? 0) - (older.counts[i] ?? 0));
  return { counts, count: Math.max(0, newer.count - older.count), sumMs: Math.max(0, newer.sumMs - older.sumMs) };
}

/**
 * The `q` quantile (0..1) in ms, interpolated linearly inside its bucket; null when nothing was
 * recorded. A value in the last bucket reads as the last bound (100 s): "at least that".
 */
export function quantile(h: HistogramCounts, q: number): number | null {
  if (h.count <= 0) return null;
  const rank = Math.min(Math.max(q, 0), 1) * h.count;
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    const n = h.counts[i] ?? 0;
    if (n > 0 && seen + n >= rank) {
      if (i >= BOUNDS.length) return LAST;
      const low = i === 0 ? 0 : (BOUNDS[i - 1] ?? 0);
      const high = BOUNDS[i] ?? 0;
      return low + ((high - low) * Math.max(0, rank - seen)) / n;
    }
    seen += n;
  }
  return LAST;
}
