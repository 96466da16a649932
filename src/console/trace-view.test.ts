/** A trace joined to its log lines: the trace id read from lines, the bounded index, tree order, redaction. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Redactor } from "../runtime/env/redact.js";
import type { RequestRecord } from "../runtime/telemetry/request-ring.js";
import type { SpanRecord } from "../runtime/telemetry/span.js";
import { LogStore, traceIdOf } from "./logs.js";
import { spanRecord } from "./testing/span.js";
import { gatewayLine, joinTrace, TRACE_LOG_LINES, treeOrder } from "./trace-view.js";

const T = "4bf92f3577b34da6a3ce929d0e0e4736";
const U = "0af7651916cd43dd8448eb211c80319c";
const time = new Date("2026-12-07T03:00:00Z");

function span(spanId: string, parentSpanId: string | null, start: number, patch: Partial<SpanRecord> = {}): SpanRecord {
  return spanRecord({ traceId: T, spanId, parentSpanId, name: `span ${spanId}`, start, ...patch });
}

const request: RequestRecord = {
  start: time.getTime(),
  durationMs: 4.25,
  id: "req-1",
  method: "GET",
  path: "/metrics/traffic?token=***",
  status: 200,
  route: "api.{domain}",
  service: "api",
  replica: "api.1",
  error: null,
  traceId: T,
  spanId: "aaaaaaaaaaaaaaaa",
  parentSpanId: null,
};

describe("trace ids in log lines", () => {
  it("reads logfmt and JSON forms, in either case, and nothing else", () => {
    expect(traceIdOf(`api: GET / 200 1.0ms trace_id=${T} span_id=00f067aa0ba902b7`)).toBe(T);
    expect(traceIdOf(`{"level":"info","trace_id":"${T}"}`)).toBe(T);
    expect(traceIdOf(`{"traceId": "${T.toUpperCase()}"}`)).toBe(T);
    expect(traceIdOf(`trace-id: ${T}`)).toBe(T);
    expect(traceIdOf(`trace_id=${T}0`)).toBeNull();
    expect(traceIdOf(`trace_id=${T.slice(1)}`)).toBeNull();
    expect(traceIdOf(`trace_id=${"0".repeat(32)}`)).toBeNull();
    expect(traceIdOf(`request ${T}`)).toBeNull();
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 40 }), (noise, tail) => {
        const id = traceIdOf(noise + tail);
        expect(id === null || /^[0-9a-f]{32}$/.test(id)).toBe(true);
      }),
    );
  });

  it("indexes lines by trace id, holding only the lines the ring holds", () => {
    const store = new LogStore(4);
    store.add({ source: "api.1", stream: "out", text: `a trace_id=${T}`, time });
    store.add({ source: "api.1", stream: "out", text: `b trace_id=${U}`, time });
    store.add({ source: "web.1", stream: "out", text: `{"msg":"c","trace_id":"${T}"}`, time });
    store.add({ source: "api.1", stream: "out", text: "d no trace", time });
    expect(store.ofTrace(T).map((l) => l.text[0])).toEqual(["a", "{"]);
    expect(store.ofTrace(T, 1).map((l) => l.source)).toEqual(["web.1"]);
    expect(store.traces).toBe(2);
    store.add({ source: "api.1", stream: "out", text: "e", time }); // pushes a out
    store.add({ source: "api.1", stream: "out", text: "f", time }); // pushes b out
    expect(store.ofTrace(T).map((l) => l.source)).toEqual(["web.1"]);
    expect(store.ofTrace(U)).toEqual([]);
    expect(store.traces).toBe(1);
    for (let i = 0; i < 10; i++) store.add({ source: "api.1", stream: "out", text: `trace_id=${i.toString(16).padStart(32, "1")}`, time });
    expect(store.traces).toBe(4);
  });
});

describe("a trace's spans", () => {
  it("puts each parent before its children, by start time, with depths; an unknown parent makes a root", () => {
    const spans = [
      span("0000000000000003", "0000000000000001", 30),
      span("0000000000000001", "ffffffffffffffff", 10),
      span("0000000000000002", "0000000000000001", 20),
      span("0000000000000004", "0000000000000002", 25),
      span("0000000000000005", null, 5),
    ];
    expect(treeOrder(spans).map((s) => [s.spanId.slice(-1), s.depth])).toEqual([
      ["5", 0],
      ["1", 0],
      ["2", 1],
      ["4", 2],
      ["3", 1],
    ]);
  });

  it("shows every span once, whatever the parents say: cycles, duplicates, a long chain", () => {
    const cycle = [span("0000000000000001", "0000000000000002", 1), span("0000000000000002", "0000000000000001", 2), span("0000000000000002", null, 3)];
    expect(new Set(treeOrder(cycle).map((s) => s.spanId)).size).toBe(2);
    const self = [span("0000000000000001", "0000000000000001", 1)];
    expect(treeOrder(self)).toHaveLength(1);
    const chain = Array.from({ length: 20_000 }, (_, i) => span((i + 1).toString(16).padStart(16, "0"), i === 0 ? null : i.toString(16).padStart(16, "0"), i));
    const ordered = treeOrder(chain);
    expect(ordered).toHaveLength(20_000);
    expect(ordered.at(-1)?.depth).toBe(19_999);
  });
});

describe("tree order of any spans (fuzz)", () => {
  it("shows each span id once, every child after its parent, depth one more than its parent's", () => {
    const id = fc.integer({ min: 1, max: 12 }).map((n) => n.toString(16).padStart(16, "0"));
    const spans = fc.array(fc.tuple(id, fc.option(id, { nil: null }), fc.integer({ min: 0, max: 50 })), { maxLength: 30 });
    fc.assert(
      fc.property(spans, (raw) => {
        const ordered = treeOrder(raw.map(([spanId, parent, start]) => span(spanId, parent, start)));
        const at = new Map(ordered.map((s, i) => [s.spanId, i]));
        expect(at.size).toBe(ordered.length);
        expect(at.size).toBe(new Set(raw.map(([spanId]) => spanId)).size);
        for (const [i, s] of ordered.entries()) {
          if (s.depth === 0) continue;
          const parent = at.get(s.parentSpanId ?? "");
          expect(parent).toBeDefined();
          expect(parent ?? Number.POSITIVE_INFINITY).toBeLessThan(i);
          expect(ordered[parent ?? 0]?.depth).toBe(s.depth - 1);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("a trace joined to its log lines", () => {
  it("gives the gateway's record of the request as a line", () => {
    expect(gatewayLine(request)).toEqual({
      time: "2026-12-07T03:00:00.004Z",
      source: "gateway",
      service: "cairn-gateway",
      level: "info",
      text: "GET /metrics/traffic?token=*** 200 4.3ms request_id=req-1 → api.1",
    });
    expect(gatewayLine({ ...request, status: 502, replica: null, error: "no healthy replica" }).level).toBe("error");
    expect(gatewayLine({ ...request, status: 502, replica: null, error: "no healthy replica" }).text).toContain(
      '→ api (no replica) error="no healthy replica"',
    );
  });

  it("orders the lines by time, keeps the newest TRACE_LOG_LINES, and takes secrets out of spans and lines", () => {
    const redactor = new Redactor();
    redactor.add("DB_PASSWORD", "hunter2-secret");
    const store = new LogStore();
    store.add({ source: "api.1", stream: "out", text: `api: connect with hunter2-secret trace_id=${T}`, time: new Date(time.getTime() + 1) });
    const spans = [
      span("00000000000000aa", null, 0, {
        name: "SELECT hunter2-secret",
        attributes: { "db.url": "postgres://u:hunter2-secret@h/db" },
        statusMessage: "hunter2-secret",
      }),
    ];
    const view = joinTrace(T, spans, [request], store.ofTrace(T), redactor.redact);
    expect(view.logs.map((l) => l.source)).toEqual(["api.1", "gateway"]);
    expect(JSON.stringify(view)).not.toContain("hunter2-secret");
    expect(view.logs[0]?.text).toBe(`api: connect with [secret DB_PASSWORD] trace_id=${T}`);
    expect(view.spans[0]?.attributes["db.url"]).toBe("postgres://u:[secret DB_PASSWORD]@h/db");
    for (let i = 0; i < TRACE_LOG_LINES + 50; i++) store.add({ source: "api.1", stream: "out", text: `line ${i} trace_id=${T}`, time });
    const many = joinTrace(T, spans, [], store.ofTrace(T, TRACE_LOG_LINES), redactor.redact);
    expect(many.logs).toHaveLength(TRACE_LOG_LINES);
    expect(many.logs.at(-1)?.text).toBe(`line ${TRACE_LOG_LINES + 49} trace_id=${T}`);
  });
});
