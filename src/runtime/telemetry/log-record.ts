/**
 * A log record a process sent over OTLP (`/v1/logs`), as both encodings decode it, and the line the
 * console's log view shows for it. Pure.
 */
import type { LogLine } from "../supervisor/log-sink.js";
import { serviceOf } from "./otlp-common.js";
import { validId } from "./span.js";

export interface LogRecord {
  /** `service.name` of the resource that sent it (OTEL_SERVICE_NAME), or "unknown_service". */
  readonly service: string;
  /** Epoch milliseconds: the record's time, else when it was observed; null with neither. */
  readonly time: number | null;
  /** OTLP severity number, 0 (unspecified) to 24; anything else reads as 0. */
  readonly severityNumber: number;
  readonly severityText: string;
  /** The body (an AnyValue) as text. */
  readonly body: string;
  /** String forms of the record's attributes (at most 32, values cut at 256 characters). */
  readonly attributes: Readonly<Record<string, string>>;
  /** The trace and span it was written in (lowercase hex), or null when absent or malformed. */
  readonly traceId: string | null;
  readonly spanId: string | null;
}

/** What a `/v1/logs` body decodes to. */
export interface DecodedLogs {
  readonly records: LogRecord[];
}

/** One record's fields as read, before they are checked. */
export interface RawLogRecord {
  timeNanos: bigint | null;
  observedNanos: bigint | null;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: Record<string, string>;
  traceId: string;
  spanId: string;
}

export function emptyLogRecord(): RawLogRecord {
  return { timeNanos: null, observedNanos: null, severityNumber: 0, severityText: "", body: "", attributes: Object.create(null), traceId: "", spanId: "" };
}

/** The record kept: its service named, its time in milliseconds, bad ids dropped (the record stays). */
export function finishLogRecord(raw: RawLogRecord, resource: Readonly<Record<string, string>>): LogRecord {
  const nanos = raw.timeNanos !== null && raw.timeNanos > 0n ? raw.timeNanos : raw.observedNanos;
  const severity = raw.severityNumber;
  return {
    service: serviceOf(resource),
    time: nanos !== null && nanos > 0n ? Number(nanos / 1_000n) / 1_000 : null,
    severityNumber: Number.isInteger(severity) && severity >= 0 && severity <= 24 ? severity : 0,
    severityText: raw.severityText,
    body: raw.body,
    attributes: raw.attributes,
    traceId: validId(raw.traceId, 16) ? raw.traceId : null,
    spanId: validId(raw.spanId, 8) ? raw.spanId : null,
  };
}

const SEVERITIES = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;

/** The short name of a severity number: TRACE for 1-4, DEBUG 5-8, INFO 9-12, WARN 13-16, ERROR 17-20, FATAL 21-24; "" for 0. */
export function severityName(n: number): string {
  return n >= 1 && n <= 24 ? (SEVERITIES[Math.floor((n - 1) / 4)] ?? "") : "";
}

/** Characters of a severity text kept when the number says nothing. */
const SEVERITY_TEXT_CHARS = 16;

/**
 * The log view's line for a record: its severity first (the view reads the level from it), the body,
 * then `key=value` attributes and `trace_id=…` (so the trace finds the line). Records at ERROR and
 * above are on the `err` stream. Its source is the service that sent it; `now` stands for a record
 * without a time (or with one past what a date holds).
 */
export function logLineOf(record: LogRecord, now: () => Date): LogLine {
  const level = severityName(record.severityNumber) || record.severityText.slice(0, SEVERITY_TEXT_CHARS).replace(/\s+/g, " ");
  const parts = [level, record.body];
  for (const [key, value] of Object.entries(record.attributes)) parts.push(`${key}=${value}`);
  if (record.traceId !== null) parts.push(`trace_id=${record.traceId}`);
  if (record.spanId !== null) parts.push(`span_id=${record.spanId}`);
  const time = record.time === null ? null : new Date(record.time);
  return {
    source: record.service,
    stream: record.severityNumber >= 17 ? "err" : "out",
    text: parts.filter((p) => p !== "").join(" "),
    time: time !== null && Number.isFinite(time.getTime()) ? time : now(),
  };
}
