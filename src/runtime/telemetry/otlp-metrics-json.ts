/**
 * OTLP/JSON metric requests (ExportMetricsServiceRequest in the protobuf JSON mapping: lowerCamelCase
 * keys, 64-bit integers as strings or numbers, doubles as numbers or "NaN"/"Infinity", enums as
 * numbers or names). Pure; never throws: a body that is not such a document is an error message.
 */
import { type DecodedMetrics, type ExponentialBuckets, emptyMetric, emptyPoint, finishMetric, type RawMetric, type RawPoint } from "./metric-point.js";
import { attributes, isObject, type Json, list, nanos, str } from "./otlp-json.js";

/** A number as the JSON mapping writes doubles and int64s, or null. */
function num(v: Json): number | null {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return null;
  if (v === "NaN" || v === "Infinity" || v === "-Infinity") return Number(v);
  return /^-?\d{1,20}(\.\d+)?([eE][+-]?\d{1,3})?$/.test(v) ? Number(v) : null;
}

const TEMPORALITIES: Readonly<Record<string, number>> = { AGGREGATION_TEMPORALITY_DELTA: 1, AGGREGATION_TEMPORALITY_CUMULATIVE: 2 };

function temporality(v: Json): number {
  return typeof v === "number" ? v : typeof v === "string" ? (TEMPORALITIES[v] ?? 0) : 0;
}

/** The numbers of a list (entries that are not numbers read as 0), or null when it is not a list. */
function numbers(v: Json): number[] | null {
  const items = list(v);
  return items === null ? null : items.map((x) => num(x) ?? 0);
}

/** The fields every kind of point has: attributes, time, and (histograms) count and sum. */
function pointBase(item: Record<string, Json>): RawPoint {
  const raw = emptyPoint();
  raw.attributes = attributes(item.attributes) ?? raw.attributes;
  raw.timeNanos = nanos(item.timeUnixNano);
  raw.count = num(item.count) ?? 0;
  raw.sum = num(item.sum);
  return raw;
}

function point(item: Record<string, Json>): RawPoint | string {
  const raw = pointBase(item);
  raw.value = num(item.asDouble) ?? num(item.asInt);
  const counts = numbers(item.bucketCounts);
  const bounds = numbers(item.explicitBounds);
  if (counts === null || bounds === null) return "bucketCounts and explicitBounds are lists";
  raw.counts = counts;
  raw.bounds = bounds;
  return raw;
}

/** An exponential histogram's buckets (`{ offset, bucketCounts }`, both optional), or null when not such an object. */
function exponentialBuckets(v: Json): ExponentialBuckets | null {
  if (v === undefined || v === null) return { offset: 0, counts: [] };
  if (!isObject(v)) return null;
  const counts = numbers(v.bucketCounts ?? []);
  return counts === null ? null : { offset: num(v.offset ?? 0) ?? Number.NaN, counts };
}

function exponentialPoint(item: Record<string, Json>): RawPoint | string {
  const raw = pointBase(item);
  raw.scale = num(item.scale ?? 0) ?? Number.NaN;
  raw.zeroCount = num(item.zeroCount) ?? 0;
  const positive = exponentialBuckets(item.positive);
  const negative = exponentialBuckets(item.negative);
  if (positive === null || negative === null) return "positive and negative are { offset, bucketCounts } objects";
  raw.positive = positive;
  raw.negative = negative;
  return raw;
}

/** The metric's data: the first of gauge, sum, histogram, exponentialHistogram, summary it has. */
function metric(item: Record<string, Json>): RawMetric | string {
  const raw = emptyMetric();
  raw.name = str(item.name);
  raw.unit = str(item.unit);
  const kinds = ["gauge", "sum", "histogram", "exponentialHistogram", "summary"] as const;
  const kind = kinds.find((k) => isObject(item[k]));
  if (kind === undefined) return raw;
  const data = item[kind] as Record<string, Json>;
  const points = list(data.dataPoints);
  if (points === null) return "dataPoints is not a list";
  raw.kind = kind;
  raw.temporality = temporality(data.aggregationTemporality);
  raw.monotonic = data.isMonotonic === true;
  if (kind === "summary") {
    raw.skipped = points.length;
    return raw;
  }
  for (const p of points) {
    if (!isObject(p)) return "a data point is not an object";
    const read = kind === "exponentialHistogram" ? exponentialPoint(p) : point(p);
    if (typeof read === "string") return read;
    raw.points.push(read);
  }
  return raw;
}

/** Decodes a request body, or returns why it is not an OTLP/JSON metric request. */
export function decodeJsonMetrics(body: string): DecodedMetrics | string {
  let doc: Json;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    return `the body is not JSON (${(error as Error).message})`;
  }
  if (!isObject(doc)) return "the body is not an ExportMetricsServiceRequest object";
  const resourceMetrics = list(doc.resourceMetrics);
  if (resourceMetrics === null) return "resourceMetrics is not a list";
  const decoded: DecodedMetrics = { points: [], dropped: {} };
  for (const rm of resourceMetrics) {
    if (!isObject(rm)) return "an entry of resourceMetrics is not an object";
    const resource = isObject(rm.resource) ? attributes(rm.resource.attributes) : {};
    if (resource === null) return "resource.attributes is not a list";
    const scopes = list(rm.scopeMetrics);
    if (scopes === null) return "scopeMetrics is not a list";
    for (const sm of scopes) {
      if (!isObject(sm)) return "an entry of scopeMetrics is not an object";
      const items = list(sm.metrics);
      if (items === null) return "metrics is not a list";
      for (const item of items) {
        if (!isObject(item)) return "a metric is not an object";
        const raw = metric(item);
        if (typeof raw === "string") return raw;
        finishMetric(raw, resource, decoded);
      }
    }
  }
  return decoded;
}
