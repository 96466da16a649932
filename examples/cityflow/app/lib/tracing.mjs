/**
 * Tracing without an SDK: a server span per request, child spans around the calls a request makes
 * (DynamoDB, S3, the API), sent as OTLP/JSON to `${OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`, the
 * address `cairn up` gives every process (its console). The same variables an OpenTelemetry SDK
 * reads: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as it is), OTEL_EXPORTER_OTLP_ENDPOINT (+
 * /v1/traces), OTEL_EXPORTER_OTLP_TRACES_HEADERS or else OTEL_EXPORTER_OTLP_HEADERS (headers sent with
 * each export, see otlp-headers.mjs), OTEL_EXPORTER_OTLP_TRACES_TIMEOUT or else
 * OTEL_EXPORTER_OTLP_TIMEOUT (milliseconds an export may take), OTEL_SERVICE_NAME,
 * OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none. An empty variable counts as unset, as the
 * specification says.
 *
 * It never hurts the app: with no endpoint every span is a no-op; spans wait in a bounded queue
 * (the newest are dropped when it is full), are sent in batches by one request at a time with a
 * short timeout, and an export that fails is dropped without a word. Trace context is W3C
 * `traceparent`: a valid incoming header makes the server span its child, anything else starts a
 * new trace. The spans around responses, AWS calls and fetches are in traced.mjs.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { tracesHeaders } from "./otlp-headers.mjs";

/** OTLP span kinds. */
export const KIND = { internal: 1, server: 2, client: 3 };

/** Reads a `traceparent` header: { traceId, parentId, flags }, or null when it is not a valid one. */
export function parseTraceparent(value) {
  if (typeof value !== "string") return null;
  const m = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/.exec(value);
  if (!m || m[1] === "ff" || (m[1] === "00" && m[5] !== undefined)) return null;
  if (/^0+$/.test(m[2]) || /^0+$/.test(m[3])) return null;
  return { traceId: m[2], parentId: m[3], flags: m[4] };
}

// Epoch nanoseconds from a monotonic clock, anchored once to the wall clock.
const ORIGIN_NS = BigInt(Date.now()) * 1_000_000n;
const ORIGIN_HR = process.hrtime.bigint();
const nowNanos = () => ORIGIN_NS + (process.hrtime.bigint() - ORIGIN_HR);

const hex = (bytes) => {
  for (;;) {
    const id = randomBytes(bytes).toString("hex");
    if (!/^0+$/.test(id)) return id;
  }
};

/** The span that does nothing, for a tracer with nowhere to send (and for requests not traced). */
export const NO_SPAN = Object.freeze({ traceId: null, spanId: null, set() {}, rename() {}, fail() {}, end() {}, traceparent: () => null });

class Span {
  constructor(tracer, name, kind, traceId, parentSpanId, attributes) {
    this.tracer = tracer;
    this.name = name;
    this.kind = kind;
    this.traceId = traceId;
    this.spanId = hex(8);
    this.parentSpanId = parentSpanId;
    this.attributes = { ...attributes };
    this.status = { code: 0 };
    this.start = nowNanos();
    this.ended = false;
  }

  set(key, value) {
    if (value !== undefined && value !== null) this.attributes[key] = value;
  }

  rename(name) {
    this.name = name;
  }

  /** Marks the span failed (OTLP status ERROR) with a short reason. */
  fail(message) {
    this.status = { code: 2, message: String(message ?? "").slice(0, 200) };
  }

  end() {
    if (this.ended) return;
    this.ended = true;
    this.tracer.enqueue(this, nowNanos());
  }

  /** The header that makes this span the parent of the next hop's. */
  traceparent() {
    return `00-${this.traceId}-${this.spanId}-01`;
  }
}

function attributeList(attributes) {
  return Object.entries(attributes).map(([key, v]) => ({
    key,
    value: typeof v === "number" && Number.isInteger(v) ? { intValue: String(v) } : typeof v === "boolean" ? { boolValue: v } : { stringValue: String(v) },
  }));
}

/** Where spans go, or null when tracing is off. */
export function tracesEndpoint(env) {
  if (env.OTEL_SDK_DISABLED === "true" || env.OTEL_TRACES_EXPORTER === "none") return null;
  const url =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces` : "");
  return /^https?:\/\/[^\s]+$/.test(url) ? url : null;
}

/** The variables of the export timeout, the signal's own first. */
export const TIMEOUT_VARIABLES = ["OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT"];
/** The export timeout when no variable sets it: shorter than the specification's 10 s, so an app never waits long. */
export const DEFAULT_TIMEOUT_MS = 2000;
/** The longest timeout a variable may set. */
export const MAX_TIMEOUT_MS = 600_000;

/**
 * Milliseconds an export may take: the first set variable of TIMEOUT_VARIABLES, a whole number from
 * 1 to MAX_TIMEOUT_MS; anything else is told to `warn` and DEFAULT_TIMEOUT_MS is used.
 */
export function exportTimeout(env, warn = () => {}) {
  const name = TIMEOUT_VARIABLES.find((variable) => typeof env[variable] === "string" && env[variable].trim() !== "");
  if (name === undefined) return DEFAULT_TIMEOUT_MS;
  const text = env[name].trim();
  const ms = /^\d{1,7}$/.test(text) ? Number(text) : Number.NaN;
  if (ms >= 1 && ms <= MAX_TIMEOUT_MS) return ms;
  warn(`${name} is not a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}: using ${DEFAULT_TIMEOUT_MS}`);
  return DEFAULT_TIMEOUT_MS;
}

const warnOnStderr = (line) => process.stderr.write(`tracing: ${line}\n`);

/**
 * A tracer for one process. `service` is the name shown when OTEL_SERVICE_NAME is unset. Options
 * for tests and tuning: flushMs (longest wait before a batch goes), maxQueue, maxBatch, timeoutMs
 * (else read from the environment), warn (where a skipped header entry is reported, by position and
 * name, never by value, and an unreadable timeout).
 */
export function createTracer({ service, env = process.env, flushMs = 500, maxQueue = 2048, maxBatch = 256, timeoutMs: given, warn = warnOnStderr } = {}) {
  const endpoint = tracesEndpoint(env);
  const extraHeaders = endpoint === null ? {} : tracesHeaders(env, warn);
  const timeoutMs = given ?? (endpoint === null ? DEFAULT_TIMEOUT_MS : exportTimeout(env, warn));
  const storage = new AsyncLocalStorage();
  const queue = [];
  let timer = null;
  let sending = null;
  const stats = { sent: 0, dropped: 0, failed: 0 };
  // Aborts the export in flight when `close` has waited long enough.
  const closer = new AbortController();
  const resource = { attributes: attributeList({ "service.name": env.OTEL_SERVICE_NAME || service || "unknown_service" }) };

  const schedule = () => {
    if (timer !== null || queue.length === 0) return;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, flushMs);
    timer.unref();
  };

  async function send(batch) {
    const body = JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: "cityflow" }, spans: batch }] }] });
    try {
      const answer = await fetch(endpoint, {
        method: "POST",
        headers: { ...extraHeaders, "content-type": "application/json" },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), closer.signal]),
      });
      await answer.arrayBuffer();
      if (answer.ok) stats.sent += batch.length;
      else stats.failed += batch.length;
    } catch {
      // The receiver is down or slow: these spans are lost, the app goes on.
      stats.failed += batch.length;
    }
  }

  /** Sends what is queued, one batch at a time; resolves when the queue is empty or its sends failed. */
  function flush() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (sending !== null) return sending;
    if (queue.length === 0) return Promise.resolve();
    sending = (async () => {
      try {
        while (queue.length > 0) await send(queue.splice(0, maxBatch));
      } finally {
        sending = null;
      }
    })();
    return sending;
  }

  /**
   * Sends what is left, waiting at most `waitMs` in all (what is not sent by then is lost, and the
   * export in flight is aborted): a process that ends (a job) calls it last. Never rejects.
   */
  async function close({ waitMs = timeoutMs } = {}) {
    let timer = null;
    const deadline = new Promise((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    await Promise.race([flush(), deadline]);
    clearTimeout(timer);
    if (sending !== null || queue.length > 0) {
      stats.failed += queue.length;
      queue.length = 0;
      closer.abort();
      await sending;
    }
  }

  const tracer = {
    enabled: endpoint !== null,
    endpoint,
    timeoutMs,
    stats,
    /** A span under `parent` (default: the current one; none starts a trace). */
    start(name, { kind = KIND.internal, parent = storage.getStore(), attributes = {} } = {}) {
      if (!tracer.enabled) return NO_SPAN;
      const traceId = parent?.traceId ?? hex(16);
      return new Span(tracer, name, kind, traceId, parent?.spanId ?? null, attributes);
    },
    /** The server span of an incoming request: a child of its `traceparent` when valid. */
    server(req, attributes = {}) {
      if (!tracer.enabled) return NO_SPAN;
      const incoming = parseTraceparent(req.headers.traceparent);
      let path = ""; // the path only: a query may hold a credential
      try {
        path = new URL(req.url ?? "/", "http://x").pathname;
      } catch {
        // An unreadable target: the span goes without a path.
      }
      const parent = incoming ? { traceId: incoming.traceId, spanId: incoming.parentId } : null;
      return tracer.start(req.method ?? "GET", {
        kind: KIND.server,
        parent,
        attributes: { "http.request.method": req.method, "url.path": path, ...attributes },
      });
    },
    /** Runs `fn` with `span` as the current span (the parent of the spans `fn` starts). */
    run(span, fn) {
      return tracer.enabled ? storage.run(span, fn) : fn();
    },
    current: () => storage.getStore() ?? NO_SPAN,
    enqueue(span, endNanos) {
      if (queue.length >= maxQueue) {
        stats.dropped++;
        return;
      }
      queue.push({
        traceId: span.traceId,
        spanId: span.spanId,
        ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
        name: span.name,
        kind: span.kind,
        startTimeUnixNano: String(span.start),
        endTimeUnixNano: String(endNanos),
        attributes: attributeList(span.attributes),
        status: span.status,
      });
      if (queue.length >= maxBatch) void flush();
      else schedule();
    },
    flush,
    close,
  };
  return tracer;
}
