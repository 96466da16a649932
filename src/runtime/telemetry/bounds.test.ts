/**
 * The telemetry's memory bounds, as counts: after ten and a hundred times more records than a store
 * holds, it holds its bound; and labels a client controls never make per-route entries.
 */
import { Agent } from "node:http";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { createGateway } from "../gateway/gateway.js";
import { request, startUpstream } from "../gateway/testing.js";
import type { MetricPoint } from "./metric-point.js";
import { DEFAULT_METRIC_SERIES } from "./metric-store.js";
import { MAX_VALUE_CHARS } from "./otlp-common.js";
import { DEFAULT_RING_SIZE } from "./request-ring.js";
import { MAX_ROUTE_ENTRIES, OTHER_LABEL, RequestStats } from "./request-stats.js";
import { DEFAULT_SPAN_CAPACITY } from "./span-store.js";
import { Telemetry } from "./telemetry.js";
import { ROUTES_PER_SERVICE, receiveSpans, recordRequests, SERVICES, syntheticRequest } from "./testing.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const total = (stats: RequestStats) => stats.read().reduce((n, e) => n + e.durations.count, 0);

describe("telemetry memory bounds", () => {
  it("keeps 2,000 requests, one entry per route and 10,000 spans after 100,000 of each", () => {
    const telemetry = new Telemetry();
    recordRequests(telemetry, 0, 100_000);
    receiveSpans(telemetry, 0, 100_000);
    expect(telemetry.ring.length).toBe(DEFAULT_RING_SIZE);
    expect(telemetry.ring.latest(1)[0]?.id).toBe(syntheticRequest(99_999).id);
    expect(telemetry.requests.size).toBe(SERVICES * ROUTES_PER_SERVICE);
    expect(total(telemetry.requests)).toBe(100_000);
    expect(telemetry.spans.length).toBe(DEFAULT_SPAN_CAPACITY);
    expect(telemetry.spans.total).toBe(100_000);
    expect(telemetry.spans.traces).toBe(DEFAULT_SPAN_CAPACITY);
    const [newest] = telemetry.spans.latest(1);
    expect(newest?.traceId).toBe(syntheticRequest(99_999).traceId);
    expect(newest?.attributes["db.statement"]).toHaveLength(MAX_VALUE_CHARS);
  });

  it("counts any (route, service) pair past the limit under (other): 100,000 random labels make limit + 1 entries", () => {
    const stats = new RequestStats();
    const labels = fc.sample(fc.string({ minLength: 1, maxLength: 40 }), { numRuns: 100_000, seed: 16 });
    for (const [i, label] of labels.entries()) stats.record(`/${label}/${i}`, i % 2 ? "api" : label, 200, 1);
    expect(stats.size).toBe(MAX_ROUTE_ENTRIES + 1);
    expect(total(stats)).toBe(100_000);
    const other = stats.read().find((e) => e.route === OTHER_LABEL);
    expect(other).toMatchObject({ service: OTHER_LABEL });
    expect(other?.durations.count).toBe(100_000 - MAX_ROUTE_ENTRIES);
    // A pair seen before the limit keeps its own entry.
    stats.record(`/${labels[0]}/0`, labels[0] ?? "", 500, 1);
    const first = stats.read().find((e) => e.route === `/${labels[0]}/0`);
    expect(first?.durations.count).toBe(2);
    expect(first?.classes[4]).toBe(1);
    expect(stats.size).toBe(MAX_ROUTE_ENTRIES + 1);
  });

  it("keeps 2,000 metric series after 100,000 points with random attribute values; a kept series still updates", () => {
    const telemetry = new Telemetry();
    const values = fc.sample(fc.string({ minLength: 1, maxLength: 40 }), { numRuns: 100_000, seed: 23 });
    const point = (i: number, user: string, value: number): MetricPoint => ({
      service: `svc${i % 3}`,
      name: "requests",
      unit: "",
      kind: "sum",
      temporality: "cumulative",
      monotonic: true,
      attributes: { user, n: String(i) },
      time: i,
      value,
      histogram: null,
    });
    for (const [i, user] of values.entries()) telemetry.metrics.add({ points: [point(i, user, i)], dropped: {} });
    expect(telemetry.metrics.size).toBe(DEFAULT_METRIC_SERIES);
    expect(telemetry.metrics.received).toBe(100_000);
    expect(telemetry.metrics.dropped).toEqual({ seriesLimit: 100_000 - DEFAULT_METRIC_SERIES });
    telemetry.metrics.add({ points: [point(0, values[0] ?? "", 42)], dropped: { summary: 2 } });
    expect(telemetry.metrics.size).toBe(DEFAULT_METRIC_SERIES);
    expect(telemetry.metrics.list().find((p) => p.attributes.n === "0")?.value).toBe(42);
    expect(telemetry.metrics.dropped.summary).toBe(2);
    // An older point than the one kept does not replace it.
    telemetry.metrics.add({ points: [{ ...point(0, values[0] ?? "", 7), time: -1 }], dropped: {} });
    expect(telemetry.metrics.list().find((p) => p.attributes.n === "0")?.value).toBe(42);
  });

  it("labels requests by the stack's routes only: 1,500 random paths and hosts through the gateway make 2 entries", async () => {
    const telemetry = new Telemetry({ lastRequests: 300 });
    const api = await startUpstream("api");
    cleanup.push(() => api.close());
    const stack = stackFrom(`
name: shop
services:
  api: { run: node api.js, port: 8001 }
routes:
  - { path: /api, to: api }
edge: { port: 8000 }
`);
    const gateway = createGateway({ stack, port: 0, telemetry });
    const { port } = await gateway.start();
    cleanup.push(() => gateway.close());
    gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port: api.port }]);
    await gateway.waitHealthy("api", "api-1");
    const paths = fc.sample(fc.webPath(), { numRuns: 1_500, seed: 7 });
    const hosts = fc.sample(fc.domain(), { numRuns: 1_500, seed: 8 });
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    cleanup.push(() => agent.destroy());
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < paths.length) {
        const i = next++;
        const path = `${i % 2 ? "/api" : ""}/${paths[i] ?? ""}`.replace(/^\/\//, "/");
        const { status } = await request(port, path, { agent, headers: { host: hosts[i] ?? "x" } });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(statuses.get(200)).toBeGreaterThanOrEqual(700);
    expect(statuses.get(404)).toBeGreaterThan(0);
    expect(telemetry.requests.size).toBe(2);
    const routes = telemetry.requests.read().map((e) => e.route);
    expect(routes.sort()).toEqual(["(none)", "/api"]);
    expect(total(telemetry.requests)).toBe(1_500);
    expect(telemetry.ring.length).toBe(300);
  });
});
