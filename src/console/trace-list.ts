/**
 * The Traces page's list: the held spans grouped by trace, each summed up by its root, filtered by
 * service, root text and duration, newest first. Pure; `/api/traces` reads its query with
 * `parseTraceFilter` and answers 400 with the reason when it is not one this page asks.
 */
import { MAX_VALUE_CHARS } from "../runtime/telemetry/otlp-common.js";
import type { SpanRecord } from "../runtime/telemetry/span.js";
import { ConsoleError } from "./http.js";

/** Traces listed at most (the newest that match). */
export const TRACE_LIST_LIMIT = 50;

/** What the list is filtered by; null or 0 when not. */
export interface TraceFilter {
  /** A trace with at least one span of this service (`service.name`, or cairn-gateway). */
  readonly service: string | null;
  /** Text in the root span's name or its `url.path`, any case. */
  readonly text: string | null;
  /** The whole trace lasting at least this many milliseconds. */
  readonly minMs: number;
}

/** The query parameters `/api/traces` takes, by name. */
export const TRACE_PARAMETERS = ["service", "q", "minMs"] as const;
const MIN_MS = /^\d{1,9}(\.\d{1,3})?$/;

/** Reads `?service=&q=&minMs=`; throws a 400 `ConsoleError` saying what is wrong and what is taken. */
export function parseTraceFilter(params: URLSearchParams): TraceFilter {
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!(TRACE_PARAMETERS as readonly string[]).includes(key)) {
      throw new ConsoleError(400, `unknown parameter "${key.slice(0, 40)}": /api/traces takes ${TRACE_PARAMETERS.join(", ")}`);
    }
    if (seen.has(key)) throw new ConsoleError(400, `give ${key} once`);
    seen.add(key);
  }
  const text = (name: string): string | null => {
    const value = params.get(name) ?? "";
    if (value.length > MAX_VALUE_CHARS) {
      throw new ConsoleError(400, `${name} is ${value.length} characters long; the console keeps names of at most ${MAX_VALUE_CHARS}`);
    }
    return value === "" ? null : value;
  };
  const min = params.get("minMs") ?? "";
  if (min !== "" && !MIN_MS.test(min)) throw new ConsoleError(400, "minMs is a duration in milliseconds, such as 250 or 12.5");
  return { service: text("service"), text: text("q")?.toLowerCase() ?? null, minMs: min === "" ? 0 : Number(min) };
}

/** One line of the list. */
export interface TraceSummary {
  readonly traceId: string;
  /** The root span's name, and the path it answered when it has one (the gateway names its spans by route). */
  readonly name: string;
  readonly path: string | null;
  readonly services: readonly string[];
  readonly spans: number;
  readonly start: number;
  readonly durationMs: number;
}

/** A trace summed up by its root: the first span, by start, whose parent is not held. */
export function summarizeTrace(traceId: string, spans: readonly SpanRecord[], redact: (text: string) => string): TraceSummary {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const ids = new Set(sorted.map((s) => s.spanId));
  const root = sorted.find((s) => !s.parentSpanId || !ids.has(s.parentSpanId)) ?? sorted[0];
  const start = Math.min(...sorted.map((s) => s.start));
  const end = Math.max(...sorted.map((s) => s.start + s.durationMs));
  const path = root?.attributes["url.path"];
  return {
    traceId,
    name: redact(root?.name ?? ""),
    path: path ? redact(path) : null,
    services: [...new Set(sorted.map((s) => s.service))],
    spans: sorted.length,
    start,
    durationMs: end - start,
  };
}

export function matches(trace: TraceSummary, filter: TraceFilter): boolean {
  if (filter.service !== null && !trace.services.includes(filter.service)) return false;
  if (filter.text !== null && !`${trace.name}\n${trace.path ?? ""}`.toLowerCase().includes(filter.text)) return false;
  return trace.durationMs >= filter.minMs;
}

/** The newest `limit` traces that match, how many match in all, and every service seen (for the page's choice). */
export function listTraces(spans: Iterable<SpanRecord>, filter: TraceFilter, redact: (text: string) => string, limit = TRACE_LIST_LIMIT) {
  const byTrace = new Map<string, SpanRecord[]>();
  const services = new Set<string>();
  for (const span of spans) {
    const list = byTrace.get(span.traceId);
    if (list) list.push(span);
    else byTrace.set(span.traceId, [span]);
    services.add(span.service);
  }
  const matched = [...byTrace]
    .map(([id, list]) => summarizeTrace(id, list, redact))
    .filter((t) => matches(t, filter))
    .sort((a, b) => b.start - a.start);
  return { traces: matched.slice(0, limit), matched: matched.length, held: byTrace.size, services: [...services].sort() };
}
