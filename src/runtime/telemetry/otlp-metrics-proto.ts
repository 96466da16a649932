/**
 * OTLP/protobuf metric requests (opentelemetry/proto/collector/metrics/v1 ExportMetricsServiceRequest),
 * read with the same wire reader and envelope as the traces and logs (otlp-proto.ts): the fields of
 * gauges, sums, explicit-bucket and exponential histograms; summaries are only counted.
 * Unknown fields are skipped. Pure; never throws.
 */
import { type DecodedMetrics, type ExponentialBuckets, emptyMetric, emptyPoint, finishMetric, type RawMetric, type RawPoint } from "./metric-point.js";
import { attributeInto, LENGTH_DELIMITED, message, nanos, type Reader, readResources, sub, unsigned64 } from "./otlp-proto.js";

const VARINT = 0;
const FIXED64 = 1;

/** An unsigned fixed64 (a count) as a double: exact up to 2^53. */
const fixed64 = (r: Reader): number => Number(nanos(r));

/** A signed 64-bit integer (sfixed64) as a double. */
function sfixed64(r: Reader): number {
  return Number(BigInt.asIntN(64, unsigned64(r.sfixed64())));
}

/** A repeated fixed64 or double field: packed (length-delimited) or one value. */
function repeated(r: Reader, wire: number, read: () => number, into: number[]): void {
  if (wire === FIXED64) {
    into.push(read());
    return;
  }
  const end = sub(r);
  if ((end - r.pos) % 8 !== 0) throw new RangeError("a packed field is not a whole number of 8-byte values");
  while (r.pos < end) into.push(read());
}

/** NumberDataPoint { fixed64 time_unix_nano = 3; double as_double = 4; sfixed64 as_int = 6; repeated KeyValue attributes = 7 }
 *  HistogramDataPoint { fixed64 time_unix_nano = 3; fixed64 count = 4; double sum = 5; repeated fixed64 bucket_counts = 6;
 *  repeated double explicit_bounds = 7; repeated KeyValue attributes = 9 } */
function point(r: Reader, end: number, histogram: boolean): RawPoint {
  const raw = emptyPoint();
  message(r, end, (tag, wire) => {
    if (tag === 3 && wire === FIXED64) raw.timeNanos = nanos(r);
    else if (histogram) {
      if (tag === 9 && wire === LENGTH_DELIMITED) attributeInto(r, raw.attributes);
      else if (tag === 4 && wire === FIXED64) raw.count = fixed64(r);
      else if (tag === 5 && wire === FIXED64) raw.sum = r.double();
      else if (tag === 6 && (wire === FIXED64 || wire === LENGTH_DELIMITED)) repeated(r, wire, () => fixed64(r), raw.counts);
      else if (tag === 7 && (wire === FIXED64 || wire === LENGTH_DELIMITED)) repeated(r, wire, () => r.double(), raw.bounds);
      else return false;
    } else if (tag === 7 && wire === LENGTH_DELIMITED) attributeInto(r, raw.attributes);
    else if (tag === 4 && wire === FIXED64) raw.value = r.double();
    else if (tag === 6 && wire === FIXED64) raw.value = sfixed64(r);
    else return false;
    return true;
  });
  return raw;
}

/** An unsigned varint of up to 64 bits (a count) as a double: exact up to 2^53. */
function uvarint64(r: Reader): number {
  return Number(unsigned64(r.uint64()));
}

/** Buckets { sint32 offset = 1; repeated uint64 bucket_counts = 2 (packed varints, or one) } */
function exponentialBuckets(r: Reader, end: number): ExponentialBuckets {
  const buckets: ExponentialBuckets = { offset: 0, counts: [] };
  message(r, end, (tag, wire) => {
    if (tag === 1 && wire === VARINT) buckets.offset = r.sint32();
    else if (tag === 2 && wire === VARINT) buckets.counts.push(uvarint64(r));
    else if (tag === 2 && wire === LENGTH_DELIMITED) {
      const packed = sub(r);
      while (r.pos < packed) buckets.counts.push(uvarint64(r));
      if (r.pos !== packed) throw new RangeError("a packed varint runs past its field");
    } else return false;
    return true;
  });
  return buckets;
}

/** ExponentialHistogramDataPoint { repeated KeyValue attributes = 1; fixed64 time_unix_nano = 3; fixed64 count = 4;
 *  double sum = 5; sint32 scale = 6; fixed64 zero_count = 7; Buckets positive = 8; Buckets negative = 9 } */
function exponentialPoint(r: Reader, end: number): RawPoint {
  const raw = emptyPoint();
  message(r, end, (tag, wire) => {
    if (tag === 1 && wire === LENGTH_DELIMITED) attributeInto(r, raw.attributes);
    else if (tag === 3 && wire === FIXED64) raw.timeNanos = nanos(r);
    else if (tag === 4 && wire === FIXED64) raw.count = fixed64(r);
    else if (tag === 5 && wire === FIXED64) raw.sum = r.double();
    else if (tag === 6 && wire === VARINT) raw.scale = r.sint32();
    else if (tag === 7 && wire === FIXED64) raw.zeroCount = fixed64(r);
    else if (tag === 8 && wire === LENGTH_DELIMITED) raw.positive = exponentialBuckets(r, sub(r));
    else if (tag === 9 && wire === LENGTH_DELIMITED) raw.negative = exponentialBuckets(r, sub(r));
    else return false;
    return true;
  });
  return raw;
}

const KINDS: Readonly<Record<number, RawMetric["kind"]>> = { 5: "gauge", 7: "sum", 9: "histogram", 10: "exponentialHistogram", 11: "summary" };

/** Metric { string name = 1; string unit = 3; oneof data { Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9;
 *  ExponentialHistogram exponential_histogram = 10; Summary summary = 11 } }, each data { repeated points = 1;
 *  AggregationTemporality aggregation_temporality = 2; bool is_monotonic = 3 (sums) } */
function metric(r: Reader, end: number): RawMetric {
  const raw = emptyMetric();
  message(r, end, (tag, wire) => {
    if (wire !== LENGTH_DELIMITED) return false;
    const kind = KINDS[tag];
    if (tag === 1) raw.name = r.string();
    else if (tag === 3) raw.unit = r.string();
    else if (kind !== undefined && kind !== null) {
      // A oneof: the last one on the wire wins, as protobuf says.
      raw.kind = kind;
      raw.points = [];
      raw.skipped = 0;
      message(r, sub(r), (t, w) => {
        if (t === 1 && w === LENGTH_DELIMITED) {
          const pointEnd = sub(r);
          if (kind === "summary") {
            raw.skipped++;
            r.pos = pointEnd;
          } else if (kind === "exponentialHistogram") raw.points.push(exponentialPoint(r, pointEnd));
          else raw.points.push(point(r, pointEnd, kind === "histogram"));
        } else if (t === 2 && w === VARINT) raw.temporality = r.int32();
        else if (t === 3 && w === VARINT) raw.monotonic = r.bool();
        else return false;
        return true;
      });
    } else return false;
    return true;
  });
  return raw;
}

function decode(body: Uint8Array): DecodedMetrics {
  const decoded: DecodedMetrics = { points: [], dropped: {} };
  readResources(body, metric, (raws, resource) => {
    for (const raw of raws) finishMetric(raw, resource, decoded);
  });
  return decoded;
}

/** Decodes a request body, or returns why it is not an OTLP/protobuf metric request. */
export function decodeProtoMetrics(body: Uint8Array): DecodedMetrics | string {
  try {
    return decode(body);
  } catch (error) {
    return `the body is not a protobuf ExportMetricsServiceRequest (${error instanceof Error ? error.message : String(error)})`;
  }
}
