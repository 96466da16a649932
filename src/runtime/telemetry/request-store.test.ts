import { describe, expect, it } from "vitest";
import { BUCKETS } from "./histogram.js";
import { DEFAULT_RING_SIZE, type RequestEntry, RequestRing } from "./request-ring.js";
import { classIndex, RequestStats } from "./request-stats.js";
import { readRequests, serviceTraffic, summarize } from "./snapshot.js";
import { Telemetry } from "./telemetry.js";

function entry(i: number, over: Partial<RequestEntry> = {}): RequestEntry {
  return {
    start: 1_000 + i,
    durationMs: 1 + (i % 10),
    id: `r${i}`,
    method: "GET",
    path: `/api/items?page=${i}`,
    status: 200,
    route: "/api",
    service: "api",
    replica: "api-1",
    error: null,
    traceId: null,
    spanId: null,
    parentSpanId: null,
    ...over,
  };
}

describe("request ring", () => {
  it("keeps the newest N, newest first, and masks credentials in paths when read", () => {
    const ring = new RequestRing(3);
    for (let i = 1; i <= 5; i++) ring.write(entry(i, { path: i === 5 ? "/login?token=s3cr3t&x=1" : `/p${i}` }));
    expect(ring.length).toBe(3);
    const latest = ring.latest();
    expect(latest.map((r) => r.id)).toEqual(["r5", "r4", "r3"]);
    expect(latest[0]?.path).toBe("/login?token=***&x=1");
    expect(ring.latest(1).map((r) => r.id)).toEqual(["r5"]);
  });

  it("refuses a size below 1", () => {
    expect(() => new RequestRing(0)).toThrow(/at least 1/);
  });
});

describe("request stats", () => {
  it("counts status classes; status 0 (client gone) is 'other'", () => {
    expect([101, 204, 302, 404, 503, 0, 99, 600].map(classIndex)).toEqual([0, 1, 2, 3, 4, 5, 5, 5]);
  });

  it("stays bounded after 100,000 requests: ring length N, one fixed-size histogram per (route, service)", () => {
    const telemetry = new Telemetry();
    const routes = ["/api", "/api/users", null] as const;
    for (let i = 0; i < 100_000; i++) {
      const route = routes[i % 3] ?? null;
      telemetry.record(
        entry(i, { route, service: route === null ? null : route === "/api" ? "api" : "users", status: i % 50 === 0 ? 503 : 200, traceId: String(i) }),
      );
    }
    expect(telemetry.ring.length).toBe(DEFAULT_RING_SIZE);
    expect(telemetry.ring.latest().length).toBe(DEFAULT_RING_SIZE);
    expect(telemetry.requests.size).toBe(3);
    const counts = telemetry.requests.read();
    for (const c of counts) expect(c.durations.counts.length).toBe(BUCKETS);
    expect(counts.reduce((n, c) => n + c.durations.count, 0)).toBe(100_000);
  });

  it("lists a request when it was traced or failed, and only counts the others", () => {
    const telemetry = new Telemetry();
    const cases: [Partial<RequestEntry>, boolean][] = [
      [{ status: 200 }, false],
      [{ status: 404 }, false],
      [{ status: 200, traceId: "4bf92f3577b34da6a3ce929d0e0e4736" }, true],
      [{ status: 503 }, true],
      [{ status: 0, error: "connection closed before the response ended" }, true],
      [{ status: 429, error: "rate limit of 10 requests per 1 s exceeded by 127.0.0.1" }, true],
    ];
    for (const [i, [over]] of cases.entries()) telemetry.record(entry(i, over));
    expect(
      telemetry.ring
        .latest()
        .map((r) => r.id)
        .reverse(),
    ).toEqual(cases.flatMap(([, listed], i) => (listed ? [`r${i}`] : [])));
    expect(telemetry.unlisted).toBe(2);
    expect(telemetry.requests.read().reduce((n, c) => n + c.durations.count, 0)).toBe(cases.length);
  });

  it("summarizes per route and per service over the window between two snapshots", () => {
    let clock = 0;
    const telemetry = new Telemetry({ now: () => clock });
    for (let i = 0; i < 100; i++) telemetry.record(entry(i, { durationMs: 2 }));
    clock = 10_000;
    const older = readRequests(telemetry);
    for (let i = 0; i < 40; i++) telemetry.record(entry(i, { durationMs: 400, status: i < 10 ? 500 : 200 }));
    for (let i = 0; i < 10; i++) telemetry.record(entry(i, { route: "(own address)", durationMs: 400 }));
    clock = 20_000;
    const newer = readRequests(telemetry);
    const window = serviceTraffic(newer, older, "api");
    expect(window?.requests).toBe(50);
    expect(window?.perSecond).toBe(5);
    expect(window?.errorRate).toBeCloseTo(10 / 50);
    expect(window?.p95).toBeGreaterThan(300);
    const all = summarize(newer);
    expect(all.seconds).toBe(20);
    expect(all.routes.map((r) => [r.route, r.requests])).toEqual([
      ["/api", 140],
      ["(own address)", 10],
    ]);
    expect(all.services[0]?.classes).toMatchObject({ "2xx": 140, "5xx": 10 });
    expect(all.services[0]?.p50).toBeLessThan(3);
    expect(serviceTraffic(newer, older, "nobody")).toBeNull();
  });

  it("keeps one entry per label pair, whatever the statuses", () => {
    const stats = new RequestStats();
    stats.record(null, null, 404, 1);
    stats.record(null, null, 400, 1);
    expect(stats.size).toBe(1);
    expect(stats.read()[0]).toMatchObject({ route: "(none)", service: "(none)" });
  });
});
