/**
 * Synthetic traffic for the memory tests and `npm run bench:console`: requests recorded through
 * `Telemetry.record` (what the gateway calls for each request) and spans through `receiveTraces`
 * (what the OTLP receiver does with a body), over many routes, services,
 * statuses and paths. Deterministic: request `i` is always the same request.
 */
import { receiveTraces } from "./otlp-handler.js";
import type { RequestEntry } from "./request-ring.js";
import type { Telemetry } from "./telemetry.js";

/** Services of the synthetic stack, and the routes each answers (SERVICES x ROUTES_PER_SERVICE labels). */
export const SERVICES = 8;
export const ROUTES_PER_SERVICE = 5;
const STATUSES = [200, 200, 200, 200, 201, 204, 301, 304, 400, 404, 429, 500, 503, 0] as const;
const WORDS = ["orders", "users", "items", "reports", "search", "health", "cart", "login"] as const;

/** 32 lowercase hex digits, never all zero, from `i` (and a salt, for a span id's 16). */
export function hexId(i: number, digits: 32 | 16, salt = 0): string {
  const a = ((i + 1) * 2_654_435_761 + salt) >>> 0;
  const b = ((i + 1) * 40_503 + salt * 7 + 1) >>> 0;
  const chunk = (a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0")).repeat(2);
  return chunk.slice(0, digits);
}

/** Request `i`: one of the routes, a distinct path with a query, a status, a replica, a trace. */
export function syntheticRequest(i: number, now = 1_765_000_000_000): RequestEntry {
  const s = i % SERVICES;
  const r = (i >> 3) % ROUTES_PER_SERVICE;
  const word = WORDS[s] ?? "x";
  const status = STATUSES[i % STATUSES.length] ?? 200;
  return {
    start: now + i,
    durationMs: 0.2 + ((i * 7919) % 4000) / 10,
    id: `req-${i.toString(36)}`,
    method: i % 5 === 0 ? "POST" : "GET",
    path: `/${word}/v${r}/${i.toString(36)}/detail?page=${i % 97}&token=${hexId(i, 16)}&q=${word}${i}`,
    status,
    route: `/${word}/v${r}`,
    service: `svc-${word}`,
    replica: status === 0 ? null : `svc-${word}.${1 + (i % 3)}`,
    error: status >= 500 || status === 0 ? `svc-${word}.1 did not answer within 30000 ms` : null,
    traceId: hexId(i, 32),
    spanId: hexId(i, 16, 1),
    parentSpanId: i % 4 === 0 ? hexId(i, 16, 2) : null,
  };
}

/** Records requests `from` to `to - 1` the way the gateway does. */
export function recordRequests(telemetry: Telemetry, from: number, to: number): void {
  for (let i = from; i < to; i++) telemetry.record(syntheticRequest(i));
}

/**
 * An OTLP/JSON body (what OpenTelemetry's JSON exporter posts to `/v1/traces`) with one server span
 * per request `from` to `to - 1`, child of the gateway's span, with a handful of attributes.
 */
export function spanBody(from: number, to: number): Buffer {
  const spans = [];
  for (let i = from; i < to; i++) {
    const request = syntheticRequest(i);
    spans.push({
      traceId: request.traceId,
      spanId: hexId(i, 16, 3),
      parentSpanId: request.spanId,
      name: `${request.method} ${request.route}`,
      kind: 2,
      startTimeUnixNano: `${Math.round(request.start * 1e6)}`,
      endTimeUnixNano: `${Math.round((request.start + request.durationMs) * 1e6)}`,
      attributes: [
        { key: "http.route", value: { stringValue: request.route } },
        { key: "url.path", value: { stringValue: request.path } },
        { key: "http.response.status_code", value: { intValue: String(request.status) } },
        { key: "db.statement", value: { stringValue: `SELECT * FROM ${WORDS[i % WORDS.length]} WHERE id = $1 -- ${"x".repeat(400)}` } },
      ],
      status: { code: request.status >= 500 ? 2 : 0, message: "" },
    });
  }
  const service = `svc-${WORDS[from % WORDS.length]}`;
  const doc = { resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] }, scopeSpans: [{ spans }] }] };
  return Buffer.from(JSON.stringify(doc));
}

/** Receives the spans of requests `from` to `to - 1` as the OTLP receiver would, in bodies of `batch`. */
export function receiveSpans(telemetry: Telemetry, from: number, to: number, batch = 200): void {
  for (let i = from; i < to; i += batch) {
    const decoded = receiveTraces(spanBody(i, Math.min(to, i + batch)), "json", telemetry.spans);
    if (typeof decoded === "string" || decoded.rejected > 0) throw new Error(`synthetic spans refused: ${JSON.stringify(decoded)}`);
  }
}
