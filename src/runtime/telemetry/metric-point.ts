/**
 * A metric data point a process sent over OTLP (`/v1/metrics`), as both encodings decode it: the
 * gauges, sums and histograms the console shows. An exponential histogram is read as the explicit
 * buckets its scale and offsets stand for. Summaries are not decoded: their points are counted as
 * dropped, with the reason. Pure.
 */
import { cut, serviceOf } from "./otlp-common.js";

export type MetricKind = "gauge" | "sum" | "histogram";
export type Temporality = "delta" | "cumulative" | "unspecified";

/** Buckets a histogram point may have (explicit bounds + 1); a point with more is dropped. */
export const MAX_HISTOGRAM_BUCKETS = 256;
/** The scales an exponential histogram may have (OTLP's ExponentialHistogramDataPoint.scale). */
export const MIN_SCALE = -10;
export const MAX_SCALE = 20;

/** Why points were not kept, each with its count in `DecodedMetrics.dropped`. */
export const DROP_REASONS = {
  summary: "summaries are not decoded",
  noValue: "a number point without a value",
  badBuckets: `a histogram whose bucket counts do not match its bounds, or with over ${MAX_HISTOGRAM_BUCKETS} buckets`,
  badScale: `an exponential histogram whose scale is not from ${MIN_SCALE} to ${MAX_SCALE}, or whose offsets are not whole numbers or put its buckets past a double's range`,
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

/** An exponential histogram's positive or negative buckets: `counts[i]` is bucket `offset + i`. */
export interface ExponentialBuckets {
  offset: number;
  counts: number[];
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
  /** Exponential histograms only. */
  scale: number;
  zeroCount: number;
  positive: ExponentialBuckets;
  negative: ExponentialBuckets;
}

/** One metric's fields as read: `kind` "summary" carries only a count of points. */
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
  return {
    attributes: Object.create(null),
    timeNanos: null,
    value: null,
    count: 0,
    sum: null,
    bounds: [],
    counts: [],
    scale: 0,
    zeroCount: 0,
    positive: { offset: 0, counts: [] },
    negative: { offset: 0, counts: [] },
  };
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

/**
 * An exponential histogram point as explicit buckets: with base = 2^(2^-scale), positive bucket i
 * holds the values in (base^i, base^(i+1)] and negative bucket i those in [-base^(i+1), -base^i).
 * In ascending order: the negative buckets (most negative first), the zero bucket up to 0, an empty
 * bucket from 0 to the first positive one, the positive buckets, and an empty one above. A reason
 * instead when the scale is out of range, the buckets are too many, or a bound is past a double's range.
 */
export function exponentialBuckets(raw: RawPoint): HistogramValue | "badScale" | "badBuckets" {
  const { scale, positive, negative } = raw;
  if (!Number.isInteger(scale) || scale < MIN_SCALE || scale > MAX_SCALE) return "badScale";
  if (!Number.isInteger(positive.offset) || !Number.isInteger(negative.offset)) return "badScale";
  if (negative.counts.length + positive.counts.length + 3 > MAX_HISTOGRAM_BUCKETS) return "badBuckets";
  const bound = (index: number) => 2 ** (index * 2 ** -scale);
  const bounds: number[] = [];
  const counts: number[] = [];
  for (let i = negative.counts.length - 1; i >= 0; i--) {
    bounds.push(-bound(negative.offset + i));
    counts.push(negative.counts[i] ?? 0);
  }
  bounds.push(0);
  counts.push(raw.zeroCount);
  if (positive.counts.length > 0) {
    bounds.push(bound(positive.offset));
    counts.push(0);
    for (let i = 0; i < positive.counts.length; i++) {
      bounds.push(bound(positive.offset + i + 1));
      counts.push(positive.counts[i] ?? 0);
    }
  }
  counts.push(0);
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i] ?? 0;
    if (!Number.isFinite(b) || (i > 0 && b <= (bounds[i - 1] ?? 0))) return "badScale";
  }
  return { count: raw.count, sum: raw.sum, bounds, counts };
}

/** Adds a metric's points to `into` (or counts them dropped, by reason). */
export function finishMetric(raw: RawMetric, resource: Readonly<Record<string, string>>, into: DecodedMetrics): void {
  if (raw.kind === "summary") {
    countDropped(into.dropped, raw.kind, raw.skipped);
    return;
  }
  if (raw.kind === null) {
    countDropped(into.dropped, "noData", 1);
    return;
  }
  const exponential = raw.kind === "exponentialHistogram";
  const kind: MetricKind = raw.kind === "exponentialHistogram" ? "histogram" : raw.kind;
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
      const histogram = exponential ? exponentialBuckets(point) : (histogramOf(point) ?? "badBuckets");
      if (typeof histogram === "string") countDropped(into.dropped, histogram, 1);
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
