/** One trace as the console draws it: the gateway's span(s) joined with the spans processes sent. Pure. */
import type { RequestRecord } from "./request-ring.js";
import type { SpanRecord } from "./span.js";
import type { Telemetry } from "./telemetry.js";

/** The name of the gateway's spans: `METHOD route`, as OpenTelemetry names HTTP server spans. */
export const GATEWAY_SERVICE = "cairn-gateway";

/** A request the gateway recorded, as a span of its trace. */
export function gatewaySpan(r: RequestRecord): SpanRecord | null {
  if (r.traceId === null || r.spanId === null) return null;
  const attributes: Record<string, string> = {
    "http.request.method": r.method,
    "url.path": r.path,
    "http.response.status_code": String(r.status),
    "cairn.request_id": r.id,
  };
  if (r.route !== null) attributes["http.route"] = r.route;
  if (r.service !== null) attributes["cairn.service"] = r.service;
  if (r.replica !== null) attributes["cairn.replica"] = r.replica;
  if (r.error !== null) attributes["error.message"] = r.error;
  return {
    traceId: r.traceId,
    spanId: r.spanId,
    parentSpanId: r.parentSpanId,
    name: `${r.method} ${r.route ?? ""}`.trim(),
    service: GATEWAY_SERVICE,
    start: r.start,
    durationMs: r.durationMs,
    statusCode: r.status >= 500 || r.status === 0 ? 2 : 0,
    statusMessage: r.error ?? "",
    kind: 2,
    attributes,
  };
}

/** Every held span of a trace (gateway and OTLP), by start time. */
export function traceOf(telemetry: Telemetry, traceId: string): SpanRecord[] {
  const spans: SpanRecord[] = [];
  for (const r of telemetry.ring.ofTrace(traceId)) {
    const span = gatewaySpan(r);
    if (span !== null) spans.push(span);
  }
  spans.push(...telemetry.spans.ofTrace(traceId));
  return spans.sort((a, b) => a.start - b.start);
}

/** Every span held: those processes sent and the gateway's of the requests listed. */
export function heldSpans(telemetry: Telemetry): SpanRecord[] {
  const spans = telemetry.spans.latest();
  for (const r of telemetry.ring.latest()) {
    const span = gatewaySpan(r);
    if (span !== null) spans.push(span);
  }
  return spans;
}
