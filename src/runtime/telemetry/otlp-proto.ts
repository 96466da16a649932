/**
 * OTLP/protobuf trace requests (opentelemetry/proto/collector/trace/v1 ExportTraceServiceRequest),
 * decoded field by field with protobufjs's wire reader. Why protobufjs: it is the protobuf runtime
 * most of the JavaScript ecosystem decodes with (OpenTelemetry's own exporters used it until they
 * wrote an encoder of their own, which has no decoder), its reader checks every length against the
 * buffer and throws a RangeError rather than reading past it, and its minimal entry needs no .proto
 * files or generated code. What we add is the map of the few OTLP fields the console shows; unknown
 * fields are skipped, as protobuf requires. Pure; never throws.
 */
import protobuf from "protobufjs/minimal.js";
import { type DecodedSpans, emptySpan, finishSpan, MAX_DEPTH, putAttribute, type RawSpan, serviceOf } from "./otlp-common.js";
import type { SpanRecord } from "./span.js";

export type Reader = protobuf.Reader;
export const LENGTH_DELIMITED = 2;

/** The unsigned 64 bits of a protobufjs Long (what its 64-bit reads return). */
export function unsigned64(value: unknown): bigint {
  const { low, high } = value as { low: number; high: number };
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

/** Nanoseconds from a fixed64 (to a double: sub-microsecond precision is lost, which the console never shows). */
export function nanos(r: Reader): bigint {
  return unsigned64(r.fixed64());
}

/** Reads the fields of one embedded message, calling `field` for each; unknown ones are skipped. */
export function message(r: Reader, end: number, field: (tag: number, wire: number) => boolean): void {
  while (r.pos < end) {
    const key = r.uint32();
    const tag = key >>> 3;
    const wire = key & 7;
    if (tag === 0) throw new RangeError("field number 0");
    if (!field(tag, wire)) r.skipType(wire);
  }
  if (r.pos !== end) throw new RangeError("a message runs past its length");
}

/** The end of the length-delimited field about to be read. */
export function sub(r: Reader): number {
  const length = r.uint32();
  const end = r.pos + length;
  if (end > r.len) throw new RangeError("a field runs past the end of the body");
  return end;
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");

/** An AnyValue (the message ending at `end`) as text. */
export function anyValue(r: Reader, end: number, depth: number): string {
  let text = "";
  message(r, end, (tag, wire) => {
    if (tag === 1 && wire === LENGTH_DELIMITED) text = r.string();
    else if (tag === 2 && wire === 0) text = String(r.bool());
    else if (tag === 3 && wire === 0) text = r.int64().toString();
    else if (tag === 4 && wire === 1) text = String(r.double());
    else if (tag === 7 && wire === LENGTH_DELIMITED) text = hex(r.bytes());
    else if ((tag === 5 || tag === 6) && wire === LENGTH_DELIMITED) {
      // ArrayValue { repeated AnyValue values = 1 }, KeyValueList { repeated KeyValue values = 1 }
      const inner = sub(r);
      if (depth >= MAX_DEPTH) {
        r.pos = inner;
        text = "…";
        return true;
      }
      const parts: string[] = [];
      message(r, inner, (t, w) => {
        if (t !== 1 || w !== LENGTH_DELIMITED) return false;
        const itemEnd = sub(r);
        if (tag === 5) parts.push(anyValue(r, itemEnd, depth + 1));
        else {
          const kv = keyValue(r, itemEnd, depth + 1);
          parts.push(`${kv[0]}: ${kv[1]}`);
        }
        return true;
      });
      text = tag === 5 ? `[${parts.join(", ")}]` : `{${parts.join(", ")}}`;
    } else return false;
    return true;
  });
  return text;
}

function keyValue(r: Reader, end: number, depth: number): [string, string] {
  let key = "";
  let value = "";
  message(r, end, (tag, wire) => {
    if (wire !== LENGTH_DELIMITED) return false;
    if (tag === 1) key = r.string();
    else if (tag === 2) value = anyValue(r, sub(r), depth);
    else return false;
    return true;
  });
  return [key, value];
}

/** Reads one KeyValue (length-delimited) into `into`, when there is room. */
export function attributeInto(r: Reader, into: Record<string, string>): void {
  const [key, value] = keyValue(r, sub(r), 0);
  putAttribute(into, key, value);
}

function span(r: Reader, end: number): RawSpan {
  const raw = emptySpan();
  raw.attributes = Object.create(null);
  message(r, end, (tag, wire) => {
    if (wire === LENGTH_DELIMITED) {
      if (tag === 1) raw.traceId = hex(r.bytes());
      else if (tag === 2) raw.spanId = hex(r.bytes());
      else if (tag === 4) raw.parentSpanId = hex(r.bytes());
      else if (tag === 5) raw.name = r.string();
      else if (tag === 9) attributeInto(r, raw.attributes);
      else if (tag === 15)
        message(r, sub(r), (t, w) => {
          if (t === 2 && w === LENGTH_DELIMITED) raw.statusMessage = r.string();
          else if (t === 3 && w === 0) raw.statusCode = r.int32();
          else return false;
          return true;
        });
      else return false;
    } else if (tag === 6 && wire === 0) raw.kind = r.int32();
    else if (tag === 7 && wire === 1) raw.startNanos = nanos(r);
    else if (tag === 8 && wire === 1) raw.endNanos = nanos(r);
    else return false;
    return true;
  });
  return raw;
}

/**
 * Reads an export request's envelope, the same for spans and logs: repeated Resource{Spans,Logs}
 * (field 1) { Resource resource = 1; repeated Scope{Spans,Logs} scopes = 2 }, each scope's records in
 * its field 2, read by `record`. `each` gets one resource's records with its attributes, once all of
 * it is read (the resource may come after its records on the wire).
 */
export function readResources<T>(body: Uint8Array, record: (r: Reader, end: number) => T, each: (raws: T[], resource: Record<string, string>) => void): void {
  const r = protobuf.Reader.create(body);
  message(r, r.len, (tag, wire) => {
    if (tag !== 1 || wire !== LENGTH_DELIMITED) return false;
    const resource: Record<string, string> = Object.create(null);
    const raws: T[] = [];
    message(r, sub(r), (t, w) => {
      if (w !== LENGTH_DELIMITED) return false;
      if (t === 1)
        message(r, sub(r), (rt, rw) => {
          if (rt !== 1 || rw !== LENGTH_DELIMITED) return false;
          attributeInto(r, resource);
          return true;
        });
      else if (t === 2)
        message(r, sub(r), (st, sw) => {
          if (st !== 2 || sw !== LENGTH_DELIMITED) return false;
          raws.push(record(r, sub(r)));
          return true;
        });
      else return false;
      return true;
    });
    each(raws, resource);
    return true;
  });
}

function decode(body: Uint8Array): DecodedSpans {
  const spans: SpanRecord[] = [];
  let rejected = 0;
  readResources(body, span, (raws, resource) => {
    const service = serviceOf(resource);
    for (const raw of raws) {
      const kept = finishSpan(raw, service);
      if (kept === null) rejected++;
      else spans.push(kept);
    }
  });
  return { spans, rejected };
}

/** Decodes a request body, or returns why it is not an OTLP/protobuf trace request. */
export function decodeProtoTraces(body: Uint8Array): DecodedSpans | string {
  try {
    return decode(body);
  } catch (error) {
    return `the body is not a protobuf ExportTraceServiceRequest (${error instanceof Error ? error.message : String(error)})`;
  }
}
