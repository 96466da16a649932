import { spawn } from "node:child_process";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { GroupMeter } from "../supervisor/proc-stats.js";
import { replicaReadings } from "../supervisor/replica-metrics.js";
import { createMetricsRegistry, metricsText } from "../telemetry/metrics.js";
import { startOtlpServer } from "../telemetry/otlp-server.js";
import { readRequests, serviceTraffic } from "../telemetry/snapshot.js";
import { Telemetry } from "../telemetry/telemetry.js";
import { traceOf } from "../telemetry/trace.js";
import { parseTraceparent, validTraceparent } from "../telemetry/traceparent.js";
import { createGateway } from "./gateway.js";
import { request, startUpstream, type Upstream } from "./testing.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const stack = () =>
  stackFrom(`
name: shop
services:
  api: { run: node api.js, port: 8001 }
  users: { run: node users.js, port: 8002 }
routes:
  - { path: /api, to: api }
  - { path: /users, to: users }
edge: { port: 8000 }
`);

async function setup(options: { telemetry?: Telemetry; api?: Parameters<typeof startUpstream>[1] } = {}) {
  const api = await startUpstream("api", options.api);
  cleanup.push(() => api.close());
  const users = await startUpstream("users", (_req, res) => {
    res.writeHead(503);
    res.end("down");
  });
  cleanup.push(() => users.close());
  const gateway = createGateway({ stack: stack(), port: 0, telemetry: options.telemetry });
  const { port } = await gateway.start();
  cleanup.push(() => gateway.close());
  gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port: api.port }]);
  gateway.setTargets("users", [{ id: "users-1", host: "127.0.0.1", port: users.port }]);
  await gateway.waitHealthy("api", "api-1");
  await gateway.waitHealthy("users", "users-1");
  return { port, api, users, gateway };
}

const lastSeen = (u: Upstream) => u.seen.at(-1)?.headers ?? {};
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_SPAN = "00f067aa0ba902b7";

describe("gateway telemetry: counts and last requests", () => {
  it("counts by route, service and status class, and keeps each request with its replica and trace", async () => {
    const telemetry = new Telemetry();
    const { port } = await setup({ telemetry });
    for (let i = 0; i < 5; i++) expect((await request(port, `/api/items?token=s3cr3t&n=${i}`)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await request(port, "/users/x")).status).toBe(503);
    expect((await request(port, "/nowhere")).status).toBe(404);
    const traffic = serviceTraffic(readRequests(telemetry), null, "api");
    expect(traffic).toMatchObject({ requests: 5, errorRate: 0 });
    expect(traffic?.p95).not.toBeNull();
    expect(serviceTraffic(readRequests(telemetry), null, "users")).toMatchObject({ requests: 3, errorRate: 1 });
    const [newest, ...rest] = telemetry.ring.latest();
    expect(newest).toMatchObject({ status: 404, route: null, service: null, replica: null });
    const api = rest.find((r) => r.service === "api");
    expect(api).toMatchObject({ method: "GET", status: 200, route: "/api", replica: "api-1", error: null });
    expect(api?.path).toMatch(/^\/api\/items\?token=\*\*\*&n=\d$/);
    expect(api?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(telemetry.ring.length).toBe(9);
  });
});

describe("gateway telemetry: W3C traceparent", () => {
  it("continues a valid traceparent: same trace id, the gateway's span as the parent upstream, tracestate kept", async () => {
    const telemetry = new Telemetry();
    const { port, api } = await setup({ telemetry });
    await request(port, "/api/a", { headers: { traceparent: `00-${TRACE}-${CLIENT_SPAN}-01`, tracestate: "vendor=x" } });
    const sent = parseTraceparent(String(lastSeen(api).traceparent));
    expect(sent).toMatchObject({ traceId: TRACE, flags: "01" });
    expect(sent?.parentId).not.toBe(CLIENT_SPAN);
    expect(lastSeen(api).tracestate).toBe("vendor=x");
    const [gatewaySpan] = traceOf(telemetry, TRACE);
    expect(gatewaySpan).toMatchObject({ spanId: sent?.parentId, parentSpanId: CLIENT_SPAN, name: "GET /api", service: "cairn-gateway" });
  });

  it("starts a new trace for an absent or invalid one, and drops the tracestate of an invalid one", async () => {
    const telemetry = new Telemetry();
    const { port, api } = await setup({ telemetry });
    await request(port, "/api/a");
    const fresh = String(lastSeen(api).traceparent);
    expect(validTraceparent(fresh)).toBe(true);
    await request(port, "/api/a", { headers: { traceparent: `00-${"0".repeat(32)}-${CLIENT_SPAN}-01`, tracestate: "vendor=x" } });
    const replaced = parseTraceparent(String(lastSeen(api).traceparent));
    expect(replaced?.traceId).not.toBe("0".repeat(32));
    expect(replaced?.traceId).not.toBe(parseTraceparent(fresh)?.traceId);
    expect(lastSeen(api).tracestate).toBeUndefined();
    expect(telemetry.ring.latest(1)[0]).toMatchObject({ traceId: replaced?.traceId, parentSpanId: null });
  });

  it("passes trace headers as they came when telemetry is off", async () => {
    const { port, api } = await setup();
    await request(port, "/api/a", { headers: { traceparent: "garbage", tracestate: "v=1" } });
    expect(lastSeen(api)).toMatchObject({ traceparent: "garbage", tracestate: "v=1" });
  });

  it("starts at most its new traces a second, always continues a client's, and forwards nothing invalid past the limit", async () => {
    let clock = 1_000_000;
    const telemetry = new Telemetry({ now: () => clock, newTracesPerSecond: 2 });
    const { port, api } = await setup({ telemetry });
    const sent = async (headers: Record<string, string> = {}) => {
      await request(port, "/api/a", { headers });
      return lastSeen(api).traceparent;
    };
    expect(validTraceparent(String(await sent()))).toBe(true);
    expect(validTraceparent(String(await sent({ traceparent: "garbage" })))).toBe(true);
    expect(await sent({ traceparent: "garbage", tracestate: "v=1" })).toBeUndefined();
    expect(lastSeen(api).tracestate).toBeUndefined();
    expect(parseTraceparent(String(await sent({ traceparent: `00-${TRACE}-${CLIENT_SPAN}-01` })))?.traceId).toBe(TRACE);
    // The request past the limit is counted, not listed; the traced ones are listed.
    expect(telemetry.ring.latest().map((r) => r.traceId)).toEqual([TRACE, expect.any(String), expect.any(String)]);
    expect(telemetry.unlisted).toBe(1);
    expect(telemetry.requests.read().reduce((n, e) => n + (e.classes[1] ?? 0), 0)).toBe(4);
    clock += 1_000;
    expect(validTraceparent(String(await sent()))).toBe(true);
  });

  it("never forwards an invalid traceparent, whatever the client sends (fuzz)", async () => {
    const telemetry = new Telemetry({ newTracesPerSecond: 1e9 });
    const { port, api } = await setup({ telemetry });
    const headerText = fc.string({ unit: fc.constantFrom(..."0123456789abcdef-ABCDEFxz ,\t"), maxLength: 70 });
    const shaped = fc
      .tuple(
        fc.stringMatching(/^[0-9a-f]{2}$/),
        fc.stringMatching(/^[0-9a-f]{32}$/),
        fc.stringMatching(/^[0-9a-f]{16}$/),
        fc.stringMatching(/^[0-9a-fA-F]{2}$/),
      )
      .map((p) => p.join("-"));
    await fc.assert(
      fc.asyncProperty(fc.oneof(headerText, shaped), async (value) => {
        const reply = await request(port, "/api/f", { headers: { traceparent: value.trim() } });
        expect(reply.status).toBe(200);
        const sent = String(lastSeen(api).traceparent);
        expect(validTraceparent(sent)).toBe(true);
        const incoming = parseTraceparent(value.trim());
        if (incoming !== null) expect(parseTraceparent(sent)?.traceId).toBe(incoming.traceId);
      }),
      { numRuns: 120 },
    );
  });

  it("joins the gateway's span and the replica's OTLP span by trace id", async () => {
    const telemetry = new Telemetry({ spans: 100 });
    const otlp = await startOtlpServer({ store: telemetry.spans });
    cleanup.push(() => otlp.close());
    // The replica reads the traceparent it got and reports its own span as a child of the gateway's.
    const { port } = await setup({
      telemetry,
      api: (req, res) => {
        const ctx = parseTraceparent(String(req.headers.traceparent));
        const span = {
          traceId: ctx?.traceId,
          spanId: "1111111111111111",
          parentSpanId: ctx?.parentId,
          name: "SELECT orders",
          startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
          endTimeUnixNano: String(BigInt(Date.now() + 1) * 1_000_000n),
        };
        const resource = { attributes: [{ key: "service.name", value: { stringValue: "api" } }] };
        const body = JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ spans: [span] }] }] });
        fetch(`${otlp.endpoint}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body }).then(
          () => res.end("ok"),
          (error) => res.end(String(error)),
        );
      },
    });
    await request(port, "/api/orders", { headers: { traceparent: `00-${TRACE}-${CLIENT_SPAN}-01` } });
    const spans = traceOf(telemetry, TRACE);
    // Both within the same millisecond or two: the order of their starts is not the point, the link is.
    expect(spans.map((s) => [s.service, s.name]).sort()).toEqual([
      ["api", "SELECT orders"],
      ["cairn-gateway", "GET /api"],
    ]);
    const gateway = spans.find((s) => s.service === "cairn-gateway");
    expect(spans.find((s) => s.service === "api")?.parentSpanId).toBe(gateway?.spanId);
    expect(gateway?.parentSpanId).toBe(CLIENT_SPAN);
  });
});

/** Reads one sample of Prometheus text: `name{labels} value`. */
function sample(text: string, name: string, labels: string): number | null {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}}`) || (labels === "" && l.startsWith(`${name} `)));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("gateway telemetry: Prometheus /metrics", () => {
  it("gives counts by status class and duration histograms per route and service after real requests", async () => {
    const telemetry = new Telemetry();
    const { port } = await setup({ telemetry });
    for (let i = 0; i < 4; i++) await request(port, "/api/x");
    for (let i = 0; i < 2; i++) await request(port, "/users/x");
    const text = await metricsText(createMetricsRegistry({ telemetry }));
    expect(text).toContain("# TYPE cairn_gateway_requests_total counter");
    expect(text).toContain("# TYPE cairn_gateway_request_duration_seconds histogram");
    expect(sample(text, "cairn_gateway_requests_total", 'route="/api",service="api",class="2xx"')).toBe(4);
    expect(sample(text, "cairn_gateway_requests_total", 'route="/users",service="users",class="5xx"')).toBe(2);
    expect(sample(text, "cairn_gateway_request_duration_seconds_count", 'route="/api",service="api"')).toBe(4);
    expect(sample(text, "cairn_gateway_request_duration_seconds_bucket", 'route="/api",service="api",le="+Inf"')).toBe(4);
    const sum = sample(text, "cairn_gateway_request_duration_seconds_sum", 'route="/api",service="api"') ?? 0;
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(10);
    // Buckets are cumulative: never decreasing, ending at the count.
    const buckets = text
      .split("\n")
      .filter((l) => l.startsWith("cairn_gateway_request_duration_seconds_bucket") && l.includes('route="/api",service="api"'))
      .map((l) => Number(l.slice(l.lastIndexOf(" ") + 1)));
    expect(buckets.length).toBeGreaterThan(60);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]).toBeGreaterThanOrEqual(buckets[i - 1] ?? 0);
    // A second scrape reads the counts afresh, not twice.
    await request(port, "/api/x");
    const again = await metricsText(createMetricsRegistry({ telemetry }));
    expect(sample(again, "cairn_gateway_requests_total", 'route="/api",service="api",class="2xx"')).toBe(5);
  });

  it("gives each replica's CPU, memory and restarts, read from its process group", async () => {
    // A process in its own group, as the supervisor starts replicas; read once it runs.
    const child = spawn(process.execPath, ["-e", "console.log('up'); setInterval(() => {}, 1000)"], { detached: true, stdio: ["ignore", "pipe", "ignore"] });
    cleanup.push(() => {
      child.kill("SIGKILL");
    });
    await new Promise((resolve) => child.stdout?.once("data", resolve));
    const pid = child.pid ?? 0;
    const snapshot = [
      {
        id: "api-1",
        service: "api",
        index: 1,
        port: 1,
        pid,
        state: "running",
        health: null,
        restarts: 2,
        startedAt: null,
        lastExit: null,
        cause: null,
        log: "",
      },
      {
        id: "api-2",
        service: "api",
        index: 2,
        port: 2,
        pid: null,
        state: "stopped",
        health: null,
        restarts: 0,
        startedAt: null,
        lastExit: null,
        cause: null,
        log: "",
      },
    ] as const;
    const registry = createMetricsRegistry({ telemetry: new Telemetry(), replicas: () => replicaReadings(snapshot, new GroupMeter()) });
    const text = await metricsText(registry);
    expect(sample(text, "cairn_replica_memory_bytes", 'service="api",replica="api-1"')).toBeGreaterThan(1_000_000);
    expect(sample(text, "cairn_replica_cpu_percent", 'service="api",replica="api-1"')).toBeGreaterThanOrEqual(0);
    expect(sample(text, "cairn_replica_restarts_total", 'service="api",replica="api-1"')).toBe(2);
    expect(sample(text, "cairn_replica_memory_bytes", 'service="api",replica="api-2"')).toBeNull();
    expect(sample(text, "cairn_replica_restarts_total", 'service="api",replica="api-2"')).toBe(0);
  });
});
