/**
 * OTLP/JSON trace requests (ExportTraceServiceRequest in the protobuf JSON mapping OTLP specifies:
 * lowerCamelCase keys, ids as hex strings, 64-bit integers as strings or numbers). Pure; never
 * throws: a body that is not such a document is an error message, a span with bad ids is rejected.
 */
import { type DecodedSpans, emptySpan, finishSpan, MAX_DEPTH, putAttribute, serviceOf } from "./otlp-common.js";
import type { SpanRecord } from "./span.js";

export type Json = unknown;
export const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
export const list = (v: Json): Json[] | null => (v === undefined || v === null ? [] : Array.isArray(v) ? v : null);

/** A 64-bit integer given as a string or number (nanoseconds), or NaN. */
function int64(v: Json): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^-?\d{1,20}$/.test(v)) return Number(v);
  return Number.NaN;
}

/** A time in nanoseconds, exact: a decimal string (as OTLP/JSON writes int64) or an integer. */
export function nanos(v: Json): bigint | null {
  if (typeof v === "string" && /^\d{1,20}$/.test(v)) return BigInt(v);
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  return null;
}

/** An AnyValue as text. */
export function anyValue(v: Json, depth = 0): string {
  if (!isObject(v)) return "";
  if (depth >= MAX_DEPTH) return "…";
  if (typeof v.stringValue === "string") return v.stringValue;
  if (typeof v.boolValue === "boolean") return String(v.boolValue);
  if (v.intValue !== undefined) return String(int64(v.intValue));
  if (typeof v.doubleValue === "number") return String(v.doubleValue);
  if (typeof v.bytesValue === "string") return v.bytesValue;
  if (isObject(v.arrayValue)) return `[${(list(v.arrayValue.values) ?? []).map((x) => anyValue(x, depth + 1)).join(", ")}]`;
  if (isObject(v.kvlistValue))
    return `{${(list(v.kvlistValue.values) ?? []).map((kv) => (isObject(kv) ? `${String(kv.key)}: ${anyValue(kv.value, depth + 1)}` : "")).join(", ")}}`;
  return "";
}

/** A KeyValue list as attributes (at most MAX_ATTRIBUTES), or null when it is not a list. */
export function attributes(v: Json): Record<string, string> | null {
  const items = list(v);
  if (items === null) return null;
  const out: Record<string, string> = Object.create(null);
  for (const kv of items) if (isObject(kv) && typeof kv.key === "string") putAttribute(out, kv.key, anyValue(kv.value));
  return out;
}

export const str = (v: Json): string => (typeof v === "string" ? v : "");

/** Decodes a request body, or returns why it is not an OTLP/JSON trace request. */
export function decodeJsonTraces(body: string): DecodedSpans | string {
  let doc: Json;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    return `the body is not JSON (${(error as Error).message})`;
  }
  if (!isObject(doc)) return "the body is not an ExportTraceServiceRequest object";
  const resourceSpans = list(doc.resourceSpans);
  if (resourceSpans === null) return "resourceSpans is not a list";
  const spans: SpanRecord[] = [];
  let rejected = 0;
  for (const rs of resourceSpans) {
    if (!isObject(rs)) return "an entry of resourceSpans is not an object";
    const resource = isObject(rs.resource) ? attributes(rs.resource.attributes) : {};
    if (resource === null) return "resource.attributes is not a list";
    const service = serviceOf(resource);
    const scopes = list(rs.scopeSpans);
    if (scopes === null) return "scopeSpans is not a list";
    for (const ss of scopes) {
      if (!isObject(ss)) return "an entry of scopeSpans is not an object";
      const items = list(ss.spans);
      if (items === null) return "spans is not a list";
      for (const item of items) {
        if (!isObject(item)) return "a span is not an object";
        const raw = emptySpan();
        raw.traceId = str(item.traceId).toLowerCase();
        raw.spanId = str(item.spanId).toLowerCase();
        raw.parentSpanId = str(item.parentSpanId).toLowerCase();
        raw.name = str(item.name);
        raw.kind = typeof item.kind === "number" ? item.kind : 0;
        raw.startNanos = nanos(item.startTimeUnixNano);
        raw.endNanos = nanos(item.endTimeUnixNano);
        raw.attributes = attributes(item.attributes) ?? {};
        if (isObject(item.status)) {
          raw.statusCode = typeof item.status.code === "number" ? item.status.code : 0;
          raw.statusMessage = str(item.status.message);
        }
        const span = finishSpan(raw, service);
        if (span === null) rejected++;
        else spans.push(span);
      }
    }
  }
  return { spans, rejected };
}
