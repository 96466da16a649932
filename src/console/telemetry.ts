/**
 * The console's side of the telemetry (src/runtime/telemetry): the OTLP receiver and `/metrics` for
 * local programs, and the Requests and Traces pages' API.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { GroupMeter } from "../runtime/supervisor/proc-stats.js";
import { replicaReadings } from "../runtime/supervisor/replica-metrics.js";
import { createMetricsRegistry, METRICS_CONTENT_TYPE, metricsText } from "../runtime/telemetry/metrics.js";
import { handleOtlp, type LogReceiver } from "../runtime/telemetry/otlp-handler.js";
import { readRequests, summarize } from "../runtime/telemetry/snapshot.js";
import type { Telemetry } from "../runtime/telemetry/telemetry.js";
import { heldSpans, traceOf } from "../runtime/telemetry/trace.js";
import type { Console, ConsoleSource } from "./console.js";
import { ConsoleError, sendText } from "./http.js";
import { listTraces, parseTraceFilter } from "./trace-list.js";
import { joinTrace, TRACE_LOG_LINES } from "./trace-view.js";

const registries = new WeakMap<Telemetry, ReturnType<typeof createMetricsRegistry>>();

/** `POST /v1/traces`, `POST /v1/logs` (to `logs`), `POST /v1/metrics` and `GET /metrics`, admitted without a session (loopback Host only). */
export async function routeMachine(source: ConsoleSource, req: IncomingMessage, res: ServerResponse, logs: LogReceiver): Promise<void> {
  const { telemetry } = source;
  if (!telemetry) throw new ConsoleError(404, "this run keeps no telemetry");
  if (req.method === "POST") return handleOtlp(req, res, telemetry.spans, logs, telemetry.metrics);
  let registry = registries.get(telemetry);
  if (!registry) {
    const meter = new GroupMeter();
    registry = createMetricsRegistry({ telemetry, replicas: () => replicaReadings(source.runner.parts.supervisor?.snapshot() ?? [], meter) });
    registries.set(telemetry, registry);
  }
  sendText(res, 200, await metricsText(registry), METRICS_CONTENT_TYPE);
}

function need(source: ConsoleSource): Telemetry {
  if (!source.telemetry) throw new ConsoleError(404, "this run keeps no telemetry");
  return source.telemetry;
}

/**
 * Per route and per service over the last minute (and since the start), and the last requests listed
 * (every traced or failed one: past the new traces' limit the others are counted, not listed).
 */
export function requestsView(source: ConsoleSource, console: Console) {
  const telemetry = need(source);
  const now = readRequests(telemetry);
  return {
    window: summarize(now, console.traffic[0] ?? null),
    total: summarize(now, null),
    last: telemetry.ring.latest(100),
    unlisted: telemetry.unlisted,
    newTracesPerSecond: telemetry.newTracesPerSecond,
  };
}

/**
 * The latest traces that match `?service=&q=&minMs=` (trace-list.ts), from every span held: the
 * gateway's and those processes sent.
 */
export function tracesView(source: ConsoleSource, params: URLSearchParams = new URLSearchParams()) {
  const filter = parseTraceFilter(params);
  const telemetry = need(source);
  return listTraces(heldSpans(telemetry), filter, source.runner.redactor.redact);
}

/** One trace's spans in tree order, for the waterfall, with the request's log lines (trace-view.ts). */
export function traceView(source: ConsoleSource, console: Console, id: string) {
  if (!/^[0-9a-f]{32}$/.test(id)) throw new ConsoleError(400, "a trace id is 32 hex digits");
  const telemetry = need(source);
  const spans = traceOf(telemetry, id);
  if (spans.length === 0) throw new ConsoleError(404, `no trace ${id}`);
  return joinTrace(id, spans, telemetry.ring.ofTrace(id), console.logs.ofTrace(id, TRACE_LOG_LINES), source.runner.redactor.redact);
}
