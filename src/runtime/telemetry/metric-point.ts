/**
 * A metric data point a process sent over OTLP (`/v1/metrics`), as both encodings decode it: the
 * gauges, sums and explicit-bucket histograms the console shows. Exponential histograms and summaries
 * are not decoded: their points are counted as dropped, with the reason. Pure.
 */
import { cut, serviceOf } from "./otlp-common.js";

export type MetricKind = "gauge" | "sum" | "histogram";
export type Temporality = "delta" | "cumulative" | "unspecified";

/** Buckets a histogram point may have (explicit bounds + 1); a point with more is dropped. */
export const MAX_HISTOGRAM_BUCKETS = 256;

/** Why points were not kept, each with its count in `DecodedMetrics.dropped`. */
export const DROP_REASONS = {
  exponentialHistogram: "exponential histograms are not decoded",
  summary: "summaries are not decoded",
  noValue: "a number point without a value",
  badBuckets: `a histogram whose bucket counts do not match its bounds, or with over ${MAX_HISTOGRAM_BUCKETS} buckets`,
  noData: "a metric without gauge, sum or histogram data",
  seriesLimit: "a new series past the store's limit",
} as const;

export type DropReason = keyof typeof DROP_REASONS;

export interface HistogramValue {
  readonly count: number;
  /** Null when the sender did not give it (it is optional in OTLP). */
  readonly sum: number | null;
  /** Upper bounds, ascending; the last bucket is above the last bound. */
  readonly bounds: readonly number[];
  /** One count per bucket (bounds.length + 1), or none when the point carries no buckets. */
  readonly counts: readonly number[];
}

/** One point: the latest value of its series (service, name, attributes). */
export interface MetricPoint {
  /** `service.name` of the resource that sent it (OTEL_SERVICE_NAME), or "unknown_service". */
  readonly service: string;
  readonly name: string;
  readonly unit: string;
  readonly kind: MetricKind;
  readonly temporality: Temporality;
  /** Sums only: whether it only goes up (a counter). */
  readonly monotonic: boolean;
  /** String forms of the point's attributes (at most 32, values cut at 256 characters). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Epoch milliseconds of the point; null when the sender gave none. */
  readonly time: number | null;
  /** Gauges and sums; null for histograms. */
  readonly value: number | null;
  /** Histograms; null for gauges and sums. */
  readonly histogram: HistogramValue | null;
}

/** What a `/v1/metrics` body decodes to: the points kept, and the points dropped by reason. */
export interface DecodedMetrics {
  readonly points: MetricPoint[];
  readonly dropped: Partial<Record<DropReason, number>>;
}

/** One data point's fields as read. */
export interface RawPoint {
  attributes: Record<string, string>;
  timeNanos: bigint | null;
  value: number | null;
  count: number;
  sum: number | null;
  bounds: number[];
  counts: number[];
}

/** One metric's fields as read: `kind` "exponentialHistogram" or "summary" carry only a count of points. */
export interface RawMetric {
  name: string;
  unit: string;
  kind: MetricKind | "exponentialHistogram" | "summary" | null;
  /** OTLP's AggregationTemporality: 1 delta, 2 cumulative, else unspecified. */
  temporality: number;
  monotonic: boolean;
  points: RawPoint[];
  /** Points of a kind that is not decoded. */
  skipped: number;
}

export function emptyMetric(): RawMetric {
  return { name: "", unit: "", kind: null, temporality: 0, monotonic: false, points: [], skipped: 0 };
}

export function emptyPoint(): RawPoint {
  return { attributes: Object.create(null), timeNanos: null, value: null, count: 0, sum: null, bounds: [], counts: [] };
}

/** Adds `n` points dropped for `reason` to a tally. */
export function countDropped(into: Partial<Record<DropReason, number>>, reason: DropReason, n: number): void {
  if (n > 0) into[reason] = (into[reason] ?? 0) + n;
}

function histogramOf(raw: RawPoint): HistogramValue | null {
  const buckets = raw.counts.length;
  if (buckets > MAX_HISTOGRAM_BUCKETS || (buckets !== 0 && buckets !== raw.bounds.length + 1)) return null;
  return { count: raw.count, sum: raw.sum, bounds: raw.bounds, counts: raw.counts };
}

/** Adds a metric's points to `into` (or counts them dropped, by reason). */
export function finishMetric(raw: RawMetric, resource: Readonly<Record<string, string>>, into: DecodedMetrics): void {
  if (raw.kind === "exponentialHistogram" || raw.kind === "summary") {
    countDropped(into.dropped, raw.kind, raw.skipped);
    return;
  }
  if (raw.kind === null) {
    countDropped(into.dropped, "noData", 1);
    return;
  }
  const kind = raw.kind;
  const base = {
    service: cut(serviceOf(resource)),
    name: cut(raw.name),
    unit: cut(raw.unit),
    kind,
    temporality: raw.temporality === 1 ? "delta" : raw.temporality === 2 ? "cumulative" : "unspecified",
    monotonic: kind === "sum" && raw.monotonic,
  } as const;
  for (const point of raw.points) {
    const time = point.timeNanos !== null && point.timeNanos > 0n ? Number(point.timeNanos / 1_000n) / 1_000 : null;
    if (kind === "histogram") {
      const histogram = histogramOf(point);
      if (histogram === null) countDropped(into.dropped, "badBuckets", 1);
      else into.points.push({ ...base, attributes: point.attributes, time, value: null, histogram });
    } else if (point.value === null) countDropped(into.dropped, "noValue", 1);
    else into.points.push({ ...base, attributes: point.attributes, time, value: point.value, histogram: null });
  }
}

/**
 * The `q` quantile (0..1) of an explicit-bucket histogram, interpolated linearly inside its bucket
 * (the first bucket from 0, as Prometheus does); a value above the last bound reads as that bound.
 * Null with no count.
 */
export function bucketQuantile(h: HistogramValue, q: number): number | null {
  const total = h.counts.reduce((a, b) => a + b, 0);
  if (total <= 0 || h.bounds.length === 0) return null;
  const rank = Math.min(Math.max(q, 0), 1) * total;
  const last = h.bounds[h.bounds.length - 1] ?? 0;
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    const n = h.counts[i] ?? 0;
    if (n > 0 && seen + n >= rank) {
      if (i >= h.bounds.length) return last;
      const high = h.bounds[i] ?? 0;
      const low = i === 0 ? Math.min(0, high) : (h.bounds[i - 1] ?? 0);
      return low + ((high - low) * Math.max(0, rank - seen)) / n;
    }
    seen += n;
  }
  return last;
}
