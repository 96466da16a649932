/**
 * CityFlow's tracing (app/lib/tracing.mjs, traced.mjs) against Cairn's own OTLP receiver (src/runtime/telemetry):
 * the spans arrive with valid ids and the right parents, the API process itself continues the caller's
 * `traceparent` and logs the trace id, and the module never hurts the app: off without an endpoint,
 * bounded queue, a dead or silent receiver only loses spans.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, createServer as createTcpServer, type Server as NetServer, type Socket } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OtlpServer, startOtlpServer } from "../../src/runtime/telemetry/otlp-server.js";
import { SpanStore } from "../../src/runtime/telemetry/span-store.js";
import { parseTraceparent as cairnParse } from "../../src/runtime/telemetry/traceparent.js";
import { waitFor } from "../../src/test-support/wait.js";
import { type CityflowStores, type Running, startNode, startStores } from "./stack.js";
import { EXAMPLE, node } from "./support.js";

interface Span {
  readonly traceId: string | null;
  readonly spanId: string | null;
  set(key: string, value: unknown): void;
  fail(message: string): void;
  end(): void;
  traceparent(): string | null;
}
interface Tracer {
  readonly enabled: boolean;
  readonly endpoint: string | null;
  readonly timeoutMs: number;
  readonly stats: { sent: number; dropped: number; failed: number };
  start(name: string, options?: { kind?: number; parent?: Span | null }): Span;
  server(req: IncomingMessage): Span;
  run<T>(span: Span, fn: () => T): T;
  flush(): Promise<void>;
}
interface Tracing {
  createTracer(options: {
    service?: string;
    env?: Record<string, string>;
    flushMs?: number;
    maxQueue?: number;
    maxBatch?: number;
    timeoutMs?: number;
    warn?: (line: string) => void;
  }): Tracer;
  exportTimeout(env: Record<string, string>, warn?: (line: string) => void): number;
  parseTraceparent(value: unknown): { traceId: string; parentId: string; flags: string } | null;
  KIND: { internal: number; server: number; client: number };
}
interface Traced {
  tracedFetch(tracer: Tracer, url: string | URL, init?: RequestInit): Promise<Response>;
  endWithResponse(span: Span, res: ServerResponse): void;
}

const lib = (name: string) => import(pathToFileURL(join(EXAMPLE, "app", "lib", name)).href);
const tracing = { ...((await lib("tracing.mjs")) as Tracing), ...((await lib("traced.mjs")) as Traced) };
const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

async function listen(server: NetServer): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("cityflow tracing module", () => {
  let store: SpanStore;
  let otlp: OtlpServer;

  beforeAll(async () => {
    store = new SpanStore(1000);
    otlp = await startOtlpServer({ store });
  });
  afterAll(async () => {
    await otlp?.close();
  });

  it("makes a server span the child of the caller's traceparent, and passes its own to the next hop", async () => {
    const front = tracing.createTracer({ service: "front", env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${otlp.endpoint}/` }, flushMs: 10 });
    const back = tracing.createTracer({ service: "ignored", env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_SERVICE_NAME: "back" }, flushMs: 10 });
    expect(front.endpoint).toBe(`${otlp.endpoint}/v1/traces`);
    const backServer = createServer((req, res) => {
      const span = back.server(req);
      tracing.endWithResponse(span, res);
      res.end("ok");
    });
    const backPort = await listen(backServer);
    const frontServer = createServer((req, res) => {
      const span = front.server(req);
      tracing.endWithResponse(span, res);
      void front.run(span, async () => {
        const answer = await tracing.tracedFetch(front, `http://127.0.0.1:${backPort}/inner`);
        res.end(await answer.text());
      });
    });
    const frontPort = await listen(frontServer);
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const caller = "b7ad6b7169203331";
    const answer = await fetch(`http://127.0.0.1:${frontPort}/outer?token=hidden`, { headers: { traceparent: `00-${traceId}-${caller}-01` } });
    expect(await answer.text()).toBe("ok");
    await waitFor(() => store.ofTrace(traceId).length === 3, 10_000, "three spans");
    const spans = store.ofTrace(traceId);
    const server = spans.find((s) => s.service === "front" && s.kind === tracing.KIND.server);
    const client = spans.find((s) => s.service === "front" && s.kind === tracing.KIND.client);
    const inner = spans.find((s) => s.service === "back");
    expect(server?.parentSpanId).toBe(caller);
    expect(server?.attributes["url.path"]).toBe("/outer");
    expect(JSON.stringify(spans)).not.toContain("hidden");
    expect(server?.attributes["http.response.status_code"]).toBe("200");
    expect(client?.parentSpanId).toBe(server?.spanId);
    expect(client?.name).toBe("GET /inner");
    expect(inner?.parentSpanId).toBe(client?.spanId);
    expect(inner?.kind).toBe(tracing.KIND.server);
    for (const s of spans) {
      expect(s.spanId).toMatch(HEX16);
      expect(s.durationMs).toBeGreaterThanOrEqual(0);
    }
    // The inner span lies within its caller's.
    expect(inner && client && inner.start >= client.start && inner.start + inner.durationMs <= client.start + client.durationMs + 1).toBe(true);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(3);
    backServer.close();
    frontServer.close();
  });

  it("starts a new trace when the incoming traceparent is invalid, and marks a 5xx answer failed", async () => {
    const tracer = tracing.createTracer({ service: "api", env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint }, flushMs: 10 });
    const server = createServer((req, res) => {
      const span = tracer.server(req);
      tracing.endWithResponse(span, res);
      res.writeHead(503).end();
    });
    const port = await listen(server);
    const before = store.total;
    await fetch(`http://127.0.0.1:${port}/x`, { headers: { traceparent: `00-${"0".repeat(32)}-b7ad6b7169203331-01` } });
    await waitFor(() => store.total > before, 10_000, "the span");
    const [span] = store.latest(1);
    expect(span?.traceId).toMatch(HEX32);
    expect(span?.traceId).not.toBe("0".repeat(32));
    expect(span?.parentSpanId).toBeNull();
    expect(span?.statusCode).toBe(2);
    server.close();
  });

  it("is off without an endpoint, with OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none: spans are no-ops", async () => {
    const offs: Record<string, string>[] = [
      {},
      { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_SDK_DISABLED: "true" },
      { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_TRACES_EXPORTER: "none" },
    ];
    for (const env of offs) {
      const tracer = tracing.createTracer({ service: "off", env });
      expect(tracer.enabled).toBe(false);
      const span = tracer.start("nothing");
      expect(span.traceparent()).toBeNull();
      span.end();
      await tracer.flush();
      expect(tracer.stats).toEqual({ sent: 0, dropped: 0, failed: 0 });
    }
    expect(tracing.createTracer({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" } }).enabled).toBe(false);
  });

  it("keeps at most maxQueue spans waiting and drops the rest", async () => {
    const tracer = tracing.createTracer({ service: "burst", env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint }, flushMs: 60_000, maxQueue: 3, maxBatch: 10 });
    const root = tracer.start("root");
    for (let i = 0; i < 5; i++) tracer.start(`child ${i}`, { parent: root }).end();
    await tracer.flush();
    expect(tracer.stats).toEqual({ sent: 3, dropped: 2, failed: 0 });
    expect(store.ofTrace(root.traceId ?? "").map((s) => s.name)).toEqual(["child 0", "child 1", "child 2"]);
    expect(store.ofTrace(root.traceId ?? "").every((s) => s.parentSpanId === root.spanId)).toBe(true);
  });

  it("loses spans, and nothing else, when the receiver is gone or never answers", async () => {
    const closed = createTcpServer();
    const closedPort = await listen(closed);
    closed.close();
    const silent: Socket[] = [];
    const hang = createTcpServer((socket) => silent.push(socket));
    const hangPort = await listen(hang);
    for (const port of [closedPort, hangPort]) {
      const tracer = tracing.createTracer({
        service: "lost",
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` },
        flushMs: 60_000,
        timeoutMs: 200,
      });
      tracer.start("lost").end();
      await tracer.flush();
      expect(tracer.stats).toEqual({ sent: 0, dropped: 0, failed: 1 });
    }
    for (const socket of silent) socket.destroy();
    hang.close();
  });

  it("takes its export timeout from OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, else OTEL_EXPORTER_OTLP_TIMEOUT, and warns of one it cannot read", async () => {
    const cases: [Record<string, string>, number, number][] = [
      [{}, 2000, 0],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: "150" }, 150, 0],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: " 150 " }, 150, 0],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: "150", OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "90" }, 90, 0],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: "150", OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "" }, 150, 0],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: "600000" }, 600_000, 0],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: "600001" }, 2000, 1],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: "0" }, 2000, 1],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: "1.5" }, 2000, 1],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: "-5" }, 2000, 1],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: "10s" }, 2000, 1],
      [{ OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "1e3" }, 2000, 1],
    ];
    for (const [env, ms, warnings] of cases) {
      const lines: string[] = [];
      expect([tracing.exportTimeout(env, (line) => lines.push(line)), lines.length], JSON.stringify(env)).toEqual([ms, warnings]);
      if (warnings > 0) expect(lines[0]).toMatch(/^OTEL_EXPORTER_OTLP_(TRACES_)?TIMEOUT is not a whole number of milliseconds from 1 to 600000: using 2000$/);
    }
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), (general, traces) => {
        const env: Record<string, string> = { OTEL_EXPORTER_OTLP_TIMEOUT: general };
        if (traces !== undefined) env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT = traces;
        const ms = tracing.exportTimeout(env);
        return Number.isInteger(ms) && ms >= 1 && ms <= 600_000;
      }),
    );
    // A tracer waits on a silent receiver only as long as the variable says, then counts the span failed.
    const held: Socket[] = [];
    const hang = createTcpServer((socket) => held.push(socket));
    const port = await listen(hang);
    const tracer = tracing.createTracer({
      service: "timed",
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_TIMEOUT: "100" },
      flushMs: 60_000,
    });
    expect(tracer.timeoutMs).toBe(100);
    tracer.start("timed").end();
    await tracer.flush();
    expect(tracer.stats).toEqual({ sent: 0, dropped: 0, failed: 1 });
    for (const socket of held) socket.destroy();
    hang.close();
  });

  it("reads traceparent exactly as the gateway does (fuzz)", () => {
    const hex = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdefA-"), minLength: n, maxLength: n });
    const header = fc.oneof(
      fc.string(),
      fc
        .tuple(fc.constantFrom("00", "01", "ff", "0g", "0"), hex(32), hex(16), fc.constantFrom("01", "00", "1", "zz"), fc.constantFrom("", "-x", "x", "-"))
        .map(([v, t, p, f, tail]) => `${v}-${t}-${p}-${f}${tail}`),
    );
    fc.assert(
      fc.property(header, (value) => {
        const ours = tracing.parseTraceparent(value);
        const cairn = cairnParse(value);
        expect(ours === null ? null : { ...ours }).toEqual(cairn === null ? null : { ...cairn });
      }),
      { numRuns: 2000 },
    );
  });
});

describe("cityflow API emits its spans", () => {
  let stores: CityflowStores;
  let api: Running;
  let dashboard: Running;
  let store: SpanStore;
  let otlp: OtlpServer;

  beforeAll(async () => {
    store = new SpanStore(1000);
    otlp = await startOtlpServer({ store });
    stores = await startStores();
    const processed = await node(["app/processor.mjs", "2025-11-03"], stores.envOf("processor"));
    expect(processed.code).toBe(0);
    api = await startNode("app/api.mjs", { ...stores.envOf("api", 0), OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_SERVICE_NAME: "api" });
    stores.addService("api", api.port);
    dashboard = await startNode("app/dashboard.mjs", {
      ...stores.envOf("dashboard", 0),
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
      OTEL_SERVICE_NAME: "dashboard",
    });
  }, 60_000);
  afterAll(async () => {
    await dashboard?.stop();
    await api?.stop();
    await stores?.close();
    await otlp?.close();
  });

  it("a request's server span is the caller's child, its DynamoDB query the server span's child, its log line carries the trace id", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const caller = "00f067aa0ba902b7";
    const answer = await fetch(`http://127.0.0.1:${api.port}/metrics/traffic`, { headers: { traceparent: `00-${traceId}-${caller}-01` } });
    expect(answer.status).toBe(200);
    await waitFor(() => store.ofTrace(traceId).length >= 2, 10_000, "the API's spans");
    const spans = store.ofTrace(traceId);
    const server = spans.find((s) => s.kind === 2);
    const query = spans.find((s) => s.kind === 3);
    expect(server).toMatchObject({ service: "api", name: "GET /metrics/:type", parentSpanId: caller });
    expect(server?.attributes["http.route"]).toBe("/metrics/:type");
    expect(query).toMatchObject({ service: "api", name: "DynamoDB.Query", parentSpanId: server?.spanId, statusCode: 0 });
    expect(query?.attributes["aws.dynamodb.table_names"]).toBe("cityflow-metrics");
    await waitFor(() => api.output().includes(`trace_id=${traceId} span_id=${server?.spanId}`), 5_000, "the access line");
    expect(api.output()).toMatch(new RegExp(`api: GET /metrics/traffic 200 [\\d.]+ms trace_id=${traceId} span_id=${server?.spanId}`));
  });

  it("the dashboard's calls to the API carry its client spans, which the API's server spans continue", async () => {
    const traceId = "5bf92f3577b34da6a3ce929d0e0e4736";
    expect((await fetch(`http://127.0.0.1:${dashboard.port}/data`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } })).status).toBe(200);
    // Each process sends its own batches: wait for the dashboard's six spans and the API's five server spans.
    const count = (service: string, kind: number) => store.ofTrace(traceId).filter((s) => s.service === service && s.kind === kind).length;
    await waitFor(() => count("dashboard", 2) === 1 && count("dashboard", 3) === 5 && count("api", 2) === 5, 10_000, "the spans of both processes");
    const spans = store.ofTrace(traceId);
    const page = spans.find((s) => s.service === "dashboard" && s.kind === 2);
    expect(page?.name).toBe("GET /data");
    const calls = spans.filter((s) => s.service === "dashboard" && s.kind === 3);
    expect(calls).toHaveLength(5);
    for (const call of calls) {
      expect(call.parentSpanId).toBe(page?.spanId);
      expect(spans.filter((s) => s.service === "api" && s.parentSpanId === call.spanId)).toHaveLength(1);
    }
  });

  it("answers 400 to a request target that is not a path, and keeps answering", async () => {
    const raw = (port: number, target: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => socket.end(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
        let text = "";
        socket.on("data", (chunk) => {
          text += chunk.toString();
        });
        socket.on("end", () => resolve(text.split("\r\n")[0] ?? ""));
        socket.on("error", reject);
      });
    for (const port of [api.port, dashboard.port]) {
      expect(await raw(port, "//")).toBe("HTTP/1.1 400 Bad Request");
      expect(await raw(port, "http://[")).toBe("HTTP/1.1 400 Bad Request");
    }
    expect((await fetch(`http://127.0.0.1:${api.port}/health`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${dashboard.port}/healthz`)).status).toBe(200);
    expect(api.output()).not.toContain("store error");
  });

  it("does not trace health probes", async () => {
    const before = store.total;
    expect((await fetch(`http://127.0.0.1:${api.port}/health`)).status).toBe(200);
    // A traced request sent after the probe: once its span is in, the probe's would be too.
    await fetch(`http://127.0.0.1:${api.port}/reports`);
    await waitFor(() => store.latest(10).some((s) => s.name === "GET /reports"), 10_000, "the /reports span");
    expect(store.latest(store.total - before).map((s) => s.name)).not.toContain("GET /health");
  });
});
