/**
 * The metrics processes send over OTLP, as the console shows them: the latest point of each series
 * (service, metric name, attribute set), at most `capacity` series. A point of a series already kept
 * replaces it (unless it is older), except a delta sum or histogram, which is added to it: a delta
 * point carries one interval, so the series shows the total since the console received its first,
 * as a cumulative one does. A new series past the limit is dropped and counted, so a process
 * minting attribute values without end cannot grow the store. Memory (`npm run bench:console`): a
 * series holds at most 32 attributes of 256 characters and 256 buckets: 2,000 series held 2.5 MB
 * typical (3 short attributes, 16 buckets), 28.8 MB with every one at those limits.
 */
import { createHash } from "node:crypto";
import { countDropped, type DecodedMetrics, type DropReason, type HistogramValue, type MetricPoint } from "./metric-point.js";

/** Series kept by default. */
export const DEFAULT_METRIC_SERIES = 2_000;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The series a point belongs to, as text: service, name, then the attributes by key. */
function seriesOf(point: MetricPoint): string {
  const attributes = Object.entries(point.attributes).sort(([a], [b]) => byText(a, b));
  return JSON.stringify([point.service, point.name, attributes]);
}

/** The map's key: a digest of the series, so the attributes are not held twice (up to 16 kB each). */
const keyOf = (point: MetricPoint) => createHash("sha256").update(seriesOf(point)).digest("base64");

const sameBounds = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((bound, i) => bound === b[i]);

/** Two delta histograms' sum, or null when their buckets differ (the sender changed them: the newer restarts the total). */
function addHistograms(a: HistogramValue, b: HistogramValue): HistogramValue | null {
  if (!sameBounds(a.bounds, b.bounds) || a.counts.length !== b.counts.length) return null;
  return {
    count: a.count + b.count,
    sum: a.sum === null || b.sum === null ? null : a.sum + b.sum,
    bounds: b.bounds,
    counts: b.counts.map((n, i) => n + (a.counts[i] ?? 0)),
  };
}

/**
 * What a series keeps when `point` arrives after `kept`: a delta point of the same kind is added to
 * it (at the later time; an older delta point is still an interval of its own); any other point
 * replaces it, unless it is older. Pure.
 */
export function nextPoint(kept: MetricPoint | undefined, point: MetricPoint): MetricPoint | null {
  if (kept === undefined) return point;
  const time = kept.time === null ? point.time : point.time === null ? kept.time : Math.max(kept.time, point.time);
  if (point.temporality === "delta" && kept.temporality === "delta" && point.kind === kept.kind) {
    if (point.kind === "sum" && kept.value !== null && point.value !== null) return { ...point, time, value: kept.value + point.value };
    if (point.kind === "histogram" && kept.histogram !== null && point.histogram !== null) {
      const histogram = addHistograms(kept.histogram, point.histogram);
      if (histogram !== null) return { ...point, time, histogram };
    }
  }
  if (kept.time !== null && point.time !== null && point.time < kept.time) return null;
  return point;
}

export class MetricStore {
  private readonly series = new Map<string, MetricPoint>();
  /** Points dropped since the start, by reason (decoding, and the series limit). */
  readonly dropped: Partial<Record<DropReason, number>> = {};
  /** Points received since the start, kept or not. */
  received = 0;

  constructor(readonly capacity = DEFAULT_METRIC_SERIES) {}

  /** Series kept. */
  get size(): number {
    return this.series.size;
  }

  /** Keeps a decoded request's points and counts what it dropped. */
  add(decoded: DecodedMetrics): void {
    for (const [reason, n] of Object.entries(decoded.dropped) as [DropReason, number][]) {
      countDropped(this.dropped, reason, n);
      this.received += n;
    }
    for (const point of decoded.points) {
      this.received++;
      const key = keyOf(point);
      const kept = this.series.get(key);
      if (kept === undefined && this.series.size >= this.capacity) {
        countDropped(this.dropped, "seriesLimit", 1);
        continue;
      }
      const next = nextPoint(kept, point);
      if (next !== null) this.series.set(key, next);
    }
  }

  /** Every series kept, by service, then name, then attributes. */
  list(): MetricPoint[] {
    return [...this.series.values()]
      .map((point) => ({ point, order: seriesOf(point) }))
      .sort((a, b) => byText(a.order, b.order))
      .map(({ point }) => point);
  }
}
