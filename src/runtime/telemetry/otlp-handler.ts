/**
 * The OTLP/HTTP receiver: `POST /v1/traces` with an ExportTraceServiceRequest, `POST /v1/logs` with an
 * ExportLogsServiceRequest when the caller takes log records, and `POST /v1/metrics` with an
 * ExportMetricsServiceRequest when the caller keeps metrics, in JSON (`application/json`) or protobuf
 * (`application/x-protobuf`), gzip-compressed or not, as OpenTelemetry's SDKs send when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` points here. The console server mounts `handleOtlp`;
 * `startOtlpServer` (otlp-server.ts) serves it alone. Bodies are limited (4 MiB received, 16 MiB once
 * decompressed); a body that is not a request gets 400 with the reason, and spans with bad ids are
 * refused through OTLP's partial success. Metric points that are not kept (summaries, see
 * metric-point.ts) are counted in the store, not refused: the SDK could do nothing else.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { gunzip } from "node:zlib";
import type { DecodedLogs, LogRecord } from "./log-record.js";
import type { DecodedMetrics } from "./metric-point.js";
import type { MetricStore } from "./metric-store.js";
import type { DecodedSpans } from "./otlp-common.js";
import { decodeJsonTraces } from "./otlp-json.js";
import { decodeJsonLogs } from "./otlp-logs-json.js";
import { decodeProtoLogs } from "./otlp-logs-proto.js";
import { decodeJsonMetrics } from "./otlp-metrics-json.js";
import { decodeProtoMetrics } from "./otlp-metrics-proto.js";
import { decodeProtoTraces } from "./otlp-proto.js";
import type { SpanStore } from "./span-store.js";

export const OTLP_TRACES_PATH = "/v1/traces";
export const OTLP_LOGS_PATH = "/v1/logs";
export const OTLP_METRICS_PATH = "/v1/metrics";
export const MAX_OTLP_BODY = 4 * 1024 * 1024;
export const MAX_OTLP_DECODED = 16 * 1024 * 1024;

/** Where the log records of one request go; without one, `/v1/logs` gets 404. */
export type LogReceiver = (records: readonly LogRecord[]) => void;

export type Encoding = "json" | "protobuf";

function encodingOf(contentType: string | undefined): Encoding | null {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  return null;
}

/**
 * The answer OTLP asks for, in the request's encoding: an empty Export{Trace,Logs,Metrics}ServiceResponse,
 * or one with `partialSuccess` when spans were refused (field 1: { rejected_spans = 1, error_message = 2 }).
 */
function success(res: ServerResponse, encoding: Encoding, rejected: number): void {
  const message = `${rejected} span(s) refused: trace and span ids must be 16 and 8 bytes, not all zero`;
  let body: Buffer;
  if (encoding === "json")
    body = Buffer.from(JSON.stringify(rejected > 0 ? { partialSuccess: { rejectedSpans: String(rejected), errorMessage: message } } : {}));
  else if (rejected === 0) body = Buffer.alloc(0);
  else {
    const text = Buffer.from(message);
    const inner = Buffer.concat([Buffer.from([0x08]), varint(rejected), Buffer.from([0x12]), varint(text.length), text]);
    body = Buffer.concat([Buffer.from([0x0a]), varint(inner.length), inner]);
  }
  res.writeHead(200, { "content-type": encoding === "json" ? "application/json" : "application/x-protobuf", "content-length": body.length });
  res.end(body);
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v > 127) {
    bytes.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** An error answer: OTLP's JSON Status shape, which both encodings' clients log as text. */
function refuse(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const body = JSON.stringify({ code: status === 413 ? 8 : 3, message });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...extra });
  res.end(body);
}

/** Reads the body up to `limit` bytes; null (and the request drained unread) past it. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

function gunzipped(body: Buffer): Promise<Buffer | string> {
  return new Promise((resolve) =>
    gunzip(body, { maxOutputLength: MAX_OTLP_DECODED }, (error, out) =>
      resolve(
        error
          ? `the gzip body cannot be read (${error.message.includes("Cannot create a Buffer") ? `over ${MAX_OTLP_DECODED} bytes once decompressed` : error.message})`
          : out,
      ),
    ),
  );
}

/** Decodes a log request body; a string says why it is not one. Pure. */
export function decodeLogs(body: Buffer, encoding: Encoding): DecodedLogs | string {
  return encoding === "json" ? decodeJsonLogs(body.toString("utf8")) : decodeProtoLogs(body);
}

/** Decodes a metric request body; a string says why it is not one. Pure. */
export function decodeMetrics(body: Buffer, encoding: Encoding): DecodedMetrics | string {
  return encoding === "json" ? decodeJsonMetrics(body.toString("utf8")) : decodeProtoMetrics(body);
}

/** Decodes a trace request body; a string says why it is not one. Pure. */
export function decodeTraces(body: Buffer, encoding: Encoding): DecodedSpans | string {
  return encoding === "json" ? decodeJsonTraces(body.toString("utf8")) : decodeProtoTraces(body);
}

/** Decodes a trace request body and keeps its spans; a string says why it is not one (nothing kept). */
export function receiveTraces(body: Buffer, encoding: Encoding, store: SpanStore): DecodedSpans | string {
  const decoded = decodeTraces(body, encoding);
  if (typeof decoded !== "string") for (const span of decoded.spans) store.add(span);
  return decoded;
}

/**
 * Serves one OTLP request; resolves once answered. Never throws for a bad request: it gets a 4xx.
 * Mount it for `POST /v1/traces`, with `logs` for `POST /v1/logs` and with `metrics` for
 * `POST /v1/metrics` (it answers 404 to other paths and 405 to other methods itself). Log records
 * are handed to `logs` whole, one call a request; metric points are kept in `metrics`.
 */
export async function handleOtlp(req: IncomingMessage, res: ServerResponse, store: SpanStore, logs?: LogReceiver, metrics?: MetricStore): Promise<void> {
  const path = (req.url ?? "").split("?")[0];
  const signal =
    path === OTLP_TRACES_PATH
      ? "traces"
      : path === OTLP_LOGS_PATH && logs !== undefined
        ? "logs"
        : path === OTLP_METRICS_PATH && metrics !== undefined
          ? "metrics"
          : null;
  if (signal === null) {
    const paths = [OTLP_TRACES_PATH, ...(logs ? [OTLP_LOGS_PATH] : []), ...(metrics ? [OTLP_METRICS_PATH] : [])];
    return refuse(res, 404, `OTLP is received here with POST at ${paths.join(", ")}`);
  }
  if (req.method !== "POST") return refuse(res, 405, `OTLP ${signal} are sent with POST, not ${req.method}`, { allow: "POST" });
  const encoding = encodingOf(req.headers["content-type"]);
  if (encoding === null)
    return refuse(res, 415, `content-type ${JSON.stringify(req.headers["content-type"] ?? "")} is neither application/json nor application/x-protobuf`);
  const compression = (req.headers["content-encoding"] ?? "identity").toLowerCase();
  if (compression !== "identity" && compression !== "gzip") return refuse(res, 415, `content-encoding ${JSON.stringify(compression)} is not gzip`);
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > MAX_OTLP_BODY) {
    refuse(res, 413, `the body of ${declared} bytes is over the limit of ${MAX_OTLP_BODY}`, { connection: "close" });
    req.resume();
    return;
  }
  const received = await readBody(req, MAX_OTLP_BODY);
  if (received === null) return refuse(res, 413, `the body is over the limit of ${MAX_OTLP_BODY} bytes`, { connection: "close" });
  const body = compression === "gzip" ? await gunzipped(received) : received;
  if (typeof body === "string") return refuse(res, 400, body);
  if (signal === "logs") {
    const records = decodeLogs(body, encoding);
    if (typeof records === "string") return refuse(res, 400, records);
    logs?.(records.records);
    return success(res, encoding, 0);
  }
  if (signal === "metrics") {
    const points = decodeMetrics(body, encoding);
    if (typeof points === "string") return refuse(res, 400, points);
    metrics?.add(points);
    return success(res, encoding, 0);
  }
  const decoded = receiveTraces(body, encoding, store);
  if (typeof decoded === "string") return refuse(res, 400, decoded);
  success(res, encoding, decoded.rejected);
}
