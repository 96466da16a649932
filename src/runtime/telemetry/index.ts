/**
 * # Telemetry: what the console, `/metrics` and the live alarms read (in process)
 *
 * One `Telemetry` per `cairn up`, created by whoever starts the console and passed to the runner
 * (`RunnerOptions.telemetry`, which hands it to the gateway). Everything below is a plain function
 * or method call; nothing here listens on a port by itself.
 *
 * ```ts
 * const telemetry = new Telemetry();                        // bounded: see "Memory" below
 * const runner = new StackRunner(stack, { ..., telemetry, otlpEndpoint: consoleAddress(port) });
 *
 * // Requests page: per route and per service, over the window between two reads
 * const before = readRequests(telemetry);                   // cumulative counts, cheap copy
 * const now = readRequests(telemetry);
 * const { routes, services } = summarize(now, before);      // requests, perSecond, classes
 *                                                          // {1xx..5xx, other}, errorRate, p50/p95/p99 (ms)
 * telemetry.ring.latest(100);                               // last requests listed, newest first (RequestRecord:
 *                                                          // id, method, masked path, status, durationMs,
 *                                                          // route, service, replica, traceId, spanId...)
 * // Traces page
 * traceOf(telemetry, traceId);                              // gateway span(s) + OTLP spans, by start time
 * telemetry.spans.latest(50);                               // newest OTLP spans
 * // OTLP receiver: mount for POST /v1/traces, /v1/logs and /v1/metrics (JSON and protobuf); resolves once answered
 * await handleOtlp(req, res, telemetry.spans, (records) => ..., telemetry.metrics);   // logs: LogRecord[], see logLineOf
 * // Metrics page
 * telemetry.metrics.list();                                 // the latest point of each series (MetricPoint),
 *                                                          // by service, name, attributes; .dropped by reason
 * // Prometheus: mount at GET /metrics
 * const registry = createMetricsRegistry({ telemetry, replicas: () => replicaReadings(supervisorSnapshot) });
 * res.setHeader("content-type", METRICS_CONTENT_TYPE); res.end(await metricsText(registry));
 * ```
 *
 * **For the alarms and the scaling policy (stable API):** keep a snapshot from the start of the
 * window and call `serviceTraffic(readRequests(telemetry), older, service)`: its `p95` (ms, null with
 * no request) and `errorRate` (5xx / all, 0..1) are over exactly that window; `requests` and
 * `perSecond` too. Route labels are `host + path` as the stack writes them (`/api`, `api.{domain}/`),
 * `(own address)` for a service's own address, `(none)` for requests no route matched.
 *
 * **Traces.** The gateway continues a valid incoming `traceparent` (same trace id, its own new span
 * as the parent upstream) or starts a new trace; an invalid one is never forwarded. Every request is
 * traced (sampling rate 1: the stores are bounded instead), new traces go out sampled (flags 01).
 * Every process gets `OTEL_EXPORTER_OTLP_ENDPOINT` (the console, `consoleAddress(port)`) and
 * `OTEL_SERVICE_NAME` (its service or job name).
 *
 * **Memory.** Requests: a ring of the last 2,000 (`lastRequests`), about 50 bytes of numbers a slot
 * plus the strings the request brought (0.4 MB typical); counts: 0.6 kB per (route, service) pair,
 * labels from the stack only, and at most 1,000 pairs whatever a caller passes (further pairs are
 * counted under `(other)`). Spans: the newest 10,000 (`spans`), at most 32 attributes of 256
 * characters each (a cut value is a copy, not a view of the body), about 10 MB typical. Metrics: the
 * latest point of at most 2,000 series (`metricSeries`), 2.5 MB typical. None grows with the number
 * of requests (bounds.test.ts; `npm run bench:console` measures the heap).
 */

export { CONSOLE_HOST, consoleAddress, otelEnv } from "./console-address.js";
export { BUCKET_BOUNDS_MS, type HistogramCounts, quantile } from "./histogram.js";
export { type DecodedLogs, type LogRecord, logLineOf, severityName } from "./log-record.js";
export { bucketQuantile, type DecodedMetrics, DROP_REASONS, type MetricPoint } from "./metric-point.js";
export { DEFAULT_METRIC_SERIES, MetricStore } from "./metric-store.js";
export { createMetricsRegistry, METRICS_CONTENT_TYPE, type MetricsSources, metricsText, type ReplicaReading } from "./metrics.js";
export { handleOtlp, type LogReceiver, MAX_OTLP_BODY, OTLP_LOGS_PATH, OTLP_METRICS_PATH, OTLP_TRACES_PATH } from "./otlp-handler.js";
export { type OtlpServer, startOtlpServer } from "./otlp-server.js";
export { DEFAULT_RING_SIZE, type RequestRecord, RequestRing } from "./request-ring.js";
export { MAX_ROUTE_ENTRIES, NO_ROUTE, NO_SERVICE, OTHER_LABEL, type RouteCounts, STATUS_CLASSES, type StatusClass } from "./request-stats.js";
export { type RequestSnapshot, readRequests, serviceTraffic, summarize, type TrafficSummaries, type TrafficSummary } from "./snapshot.js";
export type { SpanRecord } from "./span.js";
export { DEFAULT_SPAN_CAPACITY, SpanStore } from "./span-store.js";
export { type RequestTrace, Telemetry, type TelemetryOptions } from "./telemetry.js";
export { heldSpans, traceOf } from "./trace.js";
export { formatTraceparent, parseTraceparent, type TraceContext } from "./traceparent.js";
