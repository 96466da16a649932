/** What both OTLP encodings (JSON and protobuf) decode to before their spans are kept. */
import { detach } from "../../text/detach.js";
import { type SpanRecord, validId } from "./span.js";

/** Attributes kept per span, and the longest value kept: a sender cannot grow the store without end. */
export const MAX_ATTRIBUTES = 32;
export const MAX_VALUE_CHARS = 256;
/** Nesting of array and map values read at most (deeper is shown as "…"). */
export const MAX_DEPTH = 8;

/** A decoded request: the spans kept, and how many were refused (bad ids) for the partial-success answer. */
export interface DecodedSpans {
  readonly spans: SpanRecord[];
  readonly rejected: number;
}

/** One span's fields as read, before they are checked. */
export interface RawSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  /** Nanoseconds since the epoch, exact (a double cannot hold them to the nanosecond); null when unreadable. */
  startNanos: bigint | null;
  endNanos: bigint | null;
  attributes: Record<string, string>;
  statusCode: number;
  statusMessage: string;
}

export function emptySpan(): RawSpan {
  return { traceId: "", spanId: "", parentSpanId: "", name: "", kind: 0, startNanos: 0n, endNanos: 0n, attributes: {}, statusCode: 0, statusMessage: "" };
}

/** `text`, or its first characters and "…"; a copy then, which does not keep the long value alive. */
export function cut(text: string): string {
  return text.length > MAX_VALUE_CHARS ? detach(`${text.slice(0, MAX_VALUE_CHARS - 1)}…`) : text;
}

/** Adds an attribute when there is room (the first MAX_ATTRIBUTES win). */
export function putAttribute(into: Record<string, string>, key: string, value: string): void {
  if (key === "" || key === "__proto__" || Object.hasOwn(into, key)) return;
  if (Object.keys(into).length >= MAX_ATTRIBUTES) return;
  into[cut(key)] = cut(value);
}

/** The span kept, or null when its ids are not valid (it is then counted as rejected). */
export function finishSpan(raw: RawSpan, service: string): SpanRecord | null {
  if (!validId(raw.traceId, 16) || !validId(raw.spanId, 8)) return null;
  const parent = raw.parentSpanId === "" ? null : validId(raw.parentSpanId, 8) ? raw.parentSpanId : undefined;
  if (parent === undefined) return null;
  const startNanos = raw.startNanos ?? 0n;
  const endNanos = raw.endNanos ?? startNanos;
  const start = Number(startNanos) / 1e6;
  const durationMs = endNanos > startNanos ? Number(endNanos - startNanos) / 1e6 : 0;
  return {
    traceId: raw.traceId,
    spanId: raw.spanId,
    parentSpanId: parent,
    name: cut(raw.name),
    service: cut(service),
    start,
    durationMs,
    statusCode: raw.statusCode === 1 || raw.statusCode === 2 ? raw.statusCode : 0,
    statusMessage: cut(raw.statusMessage),
    kind: Number.isInteger(raw.kind) && raw.kind >= 0 && raw.kind <= 5 ? raw.kind : 0,
    attributes: raw.attributes,
  };
}

/** The service a resource names (`service.name`), or "unknown_service" as the SDKs say. */
export function serviceOf(resource: Readonly<Record<string, string>>): string {
  return resource["service.name"] ?? "unknown_service";
}
