/**
 * One trace as the Traces page shows it: its spans (the gateway's and those processes sent), in tree
 * order with their depth, joined to the request's log lines: the gateway's record of each request of
 * the trace, and the lines processes wrote naming the trace id (logs.ts indexes them). Secret values
 * are taken out of span names, attributes and lines, as in every output. Pure.
 */
import type { Redact } from "../runtime/env/redact.js";
import type { RequestRecord } from "../runtime/telemetry/request-ring.js";
import type { SpanRecord } from "../runtime/telemetry/span.js";
import { GATEWAY_SERVICE } from "../runtime/telemetry/trace.js";
import type { ConsoleLine, Level } from "./logs.js";

/** Log lines shown with a trace at most (the newest kept). */
export const TRACE_LOG_LINES = 200;

/** A span with its place in the tree: `depth` 0 for a root (no parent, or a parent not held). */
export type TraceSpan = SpanRecord & { readonly depth: number };

/** A log line of the trace, from a process or the gateway's record of the request. */
export interface TraceLine {
  readonly time: string;
  readonly source: string;
  readonly service: string;
  readonly level: Level;
  readonly text: string;
}

/** Spans in tree order: each parent followed by its children, by start time; depth from the root. */
export function treeOrder(spans: readonly SpanRecord[]): TraceSpan[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, SpanRecord[]>();
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const parent = span.parentSpanId !== null && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId ? span.parentSpanId : null;
    const list = children.get(parent);
    if (list) list.push(span);
    else children.set(parent, [span]);
  }
  const out: TraceSpan[] = [];
  const seen = new Set<string>();
  // Depth first without recursion (a hostile sender may chain thousands of spans).
  const walk = (roots: readonly SpanRecord[]) => {
    const stack = roots.map((span) => ({ span, depth: 0 })).reverse();
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (seen.has(next.span.spanId)) continue; // a span id sent twice, or a cycle of parents
      seen.add(next.span.spanId);
      out.push({ ...next.span, depth: next.depth });
      const kids = children.get(next.span.spanId) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i] as SpanRecord, depth: next.depth + 1 });
    }
  };
  walk(children.get(null) ?? []);
  // Spans only reachable through a cycle have no root: shown last, at the top level.
  walk(spans.filter((s) => !seen.has(s.spanId)));
  return out;
}

/** The gateway's record of a request as a log line, with the facts its access log holds. */
export function gatewayLine(r: RequestRecord): TraceLine {
  const where = r.replica ?? (r.service ? `${r.service} (no replica)` : "no route");
  const error = r.error === null ? "" : ` error="${r.error}"`;
  return {
    time: new Date(r.start + r.durationMs).toISOString(),
    source: "gateway",
    service: GATEWAY_SERVICE,
    level: r.status >= 500 || r.status === 0 ? "error" : r.status >= 400 ? "warn" : "info",
    text: `${r.method} ${r.path} ${r.status} ${r.durationMs.toFixed(1)}ms request_id=${r.id} → ${where}${error}`,
  };
}

function redactSpan(span: TraceSpan, redact: Redact): TraceSpan {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(span.attributes)) attributes[key] = redact(value);
  return { ...span, name: redact(span.name), statusMessage: redact(span.statusMessage), attributes };
}

/** The trace's spans and log lines, redacted, the lines by time (at most TRACE_LOG_LINES, the newest). */
export function joinTrace(
  traceId: string,
  spans: readonly SpanRecord[],
  requests: readonly RequestRecord[],
  lines: readonly ConsoleLine[],
  redact: Redact,
): { traceId: string; spans: TraceSpan[]; logs: TraceLine[] } {
  const logs: TraceLine[] = [
    ...requests.map(gatewayLine),
    ...lines.map((l) => ({ time: l.time, source: l.source, service: l.service, level: l.level, text: l.text })),
  ];
  logs.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return {
    traceId,
    spans: treeOrder(spans).map((s) => redactSpan(s, redact)),
    logs: logs.slice(-TRACE_LOG_LINES).map((l) => ({ ...l, text: redact(l.text) })),
  };
}
