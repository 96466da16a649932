/** The Traces page's list: the query read strictly, traces summed up by their root, filtered, newest first. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Redactor } from "../runtime/env/redact.js";
import { MAX_VALUE_CHARS } from "../runtime/telemetry/otlp-common.js";
import type { SpanRecord } from "../runtime/telemetry/span.js";
import { ConsoleError } from "./http.js";
import { spanRecord } from "./testing/span.js";
import { listTraces, matches, parseTraceFilter, summarizeTrace, TRACE_LIST_LIMIT, type TraceFilter } from "./trace-list.js";

const NONE: TraceFilter = { service: null, text: null, minMs: 0 };
const same = (text: string) => text;
let next = 0;

/** A span of trace number `trace` (ids made from the numbers). */
function span(trace: number, patch: Partial<SpanRecord> = {}): SpanRecord {
  next++;
  return spanRecord({ traceId: trace.toString(16).padStart(32, "a"), spanId: next.toString(16).padStart(16, "b"), start: 1_000 + trace, ...patch });
}

/** A gateway root with a child of `service`, as a request through the gateway gives. */
function request(trace: number, path: string, service: string, durationMs: number): SpanRecord[] {
  const root = span(trace, { service: "cairn-gateway", name: "GET api.{domain}/", attributes: { "url.path": path }, durationMs });
  return [root, span(trace, { service, parentSpanId: root.spanId, name: `GET ${path}`, start: root.start + 0.1, durationMs: durationMs / 2 })];
}

/** The status and message of what `parseTraceFilter` throws for `query`. */
function refusal(query: string): [number, string] {
  try {
    parseTraceFilter(new URLSearchParams(query));
  } catch (error) {
    if (error instanceof ConsoleError) return [error.status, error.message];
    throw error;
  }
  throw new Error(`${query} was taken`);
}

describe("the traces query", () => {
  it("reads service, q and minMs; empty values are no filter", () => {
    expect(parseTraceFilter(new URLSearchParams(""))).toEqual(NONE);
    expect(parseTraceFilter(new URLSearchParams("service=api&q=Reports&minMs=12.5"))).toEqual({ service: "api", text: "reports", minMs: 12.5 });
    expect(parseTraceFilter(new URLSearchParams("service=&q=&minMs="))).toEqual(NONE);
    expect(parseTraceFilter(new URLSearchParams(`q=${"x".repeat(MAX_VALUE_CHARS)}`)).text).toHaveLength(MAX_VALUE_CHARS);
  });

  it("answers 400 with the reason to an unknown or repeated parameter, an over-long value, a duration that is not one", () => {
    expect(refusal("servce=api")).toEqual([400, 'unknown parameter "servce": /api/traces takes service, q, minMs']);
    expect(refusal(`${"k".repeat(100)}=1`)[1]).toContain(`"${"k".repeat(40)}"`);
    expect(refusal("service=a&service=b")).toEqual([400, "give service once"]);
    expect(refusal(`service=${"s".repeat(MAX_VALUE_CHARS + 1)}`)).toEqual([
      400,
      `service is ${MAX_VALUE_CHARS + 1} characters long; the console keeps names of at most ${MAX_VALUE_CHARS}`,
    ]);
    expect(refusal(`q=${"q".repeat(5000)}`)[0]).toBe(400);
    for (const bad of ["-1", "1e3", "abc", "1.2345", "1234567890", " 5", "0x10", "Infinity"])
      expect(refusal(`minMs=${encodeURIComponent(bad)}`)).toEqual([400, "minMs is a duration in milliseconds, such as 250 or 12.5"]);
  });

  it("takes any query or refuses it with a 400, never another error (fuzz)", () => {
    const key = fc.oneof(fc.constantFrom("service", "q", "minMs"), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.string({ maxLength: 300 })), { maxLength: 4 }), (pairs) => {
        const params = new URLSearchParams(pairs);
        try {
          const filter = parseTraceFilter(params);
          expect(Number.isFinite(filter.minMs) && filter.minMs >= 0).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ConsoleError);
          expect((error as ConsoleError).status).toBe(400);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("the list of traces", () => {
  it("sums a trace up by its root: the first span whose parent is not held, its path, every service, the whole duration", () => {
    const [root, child] = request(1, "/reports?token=***", "api", 10);
    if (!root || !child) throw new Error("no spans");
    const orphan = span(1, { parentSpanId: "ffffffffffffffff", service: "worker", start: root.start + 15, durationMs: 5 });
    const summary = summarizeTrace(root.traceId, [orphan, child, root], same);
    expect(summary).toEqual({
      traceId: root.traceId,
      name: "GET api.{domain}/",
      path: "/reports?token=***",
      services: ["cairn-gateway", "api", "worker"],
      spans: 3,
      start: root.start,
      durationMs: 20,
    });
  });

  it("keeps the traces of a service, with a text in the root's name or path, lasting at least minMs, newest first", () => {
    const spans = [
      ...request(1, "/reports", "api", 30),
      ...request(2, "/metrics/traffic", "api", 30),
      ...request(3, "/reports/2025-11-04", "api", 2),
      // The dashboard's poll: a root of its own that touches the API too.
      span(4, { service: "dashboard", name: "poll the API for changes", durationMs: 40 }),
      span(4, { service: "api", name: "GET /reports", parentSpanId: "cccccccccccccccc" }),
      span(5, { service: "processor", name: "process-day", durationMs: 900 }),
    ];
    const ids = (filter: Partial<TraceFilter>) => listTraces(spans, { ...NONE, ...filter }, same).traces.map((t) => Number.parseInt(t.traceId.slice(-1), 16));
    expect(ids({})).toEqual([5, 4, 3, 2, 1]);
    expect(ids({ service: "api" })).toEqual([4, 3, 2, 1]);
    expect(ids({ service: "dashboard" })).toEqual([4]);
    expect(ids({ service: "nobody" })).toEqual([]);
    expect(ids({ text: "reports" })).toEqual([3, 1]);
    expect(ids({ text: "poll" })).toEqual([4]);
    expect(ids({ service: "api", text: "get api" })).toEqual([3, 2, 1]);
    expect(ids({ minMs: 30 })).toEqual([5, 4, 2, 1]);
    expect(ids({ service: "api", text: "reports", minMs: 10 })).toEqual([1]);
    const all = listTraces(spans, { ...NONE, service: "api" }, same);
    expect([all.matched, all.held]).toEqual([4, 5]);
    expect(all.services).toEqual(["api", "cairn-gateway", "dashboard", "processor"]);
  });

  it("matches and shows the root's name and path with secret values taken out", () => {
    const redactor = new Redactor();
    redactor.add("TOKEN", "sk-live-0123456789");
    const spans = request(1, "/reports?key=sk-live-0123456789", "api", 5);
    const list = (text: string) => listTraces(spans, { ...NONE, text }, redactor.redact).traces;
    expect(list("sk-live")).toEqual([]);
    expect(list("[secret token]")[0]?.path).toBe("/reports?key=[secret TOKEN]");
  });

  it("lists at most TRACE_LIST_LIMIT traces, and counts all that match", () => {
    const spans = Array.from({ length: TRACE_LIST_LIMIT + 7 }, (_, i) => span(i + 1));
    const list = listTraces(spans, NONE, same);
    expect(list.traces).toHaveLength(TRACE_LIST_LIMIT);
    expect(list.matched).toBe(TRACE_LIST_LIMIT + 7);
    expect(list.traces[0]?.start).toBe(1_000 + TRACE_LIST_LIMIT + 7);
  });

  it("lists exactly the traces that match, whatever the spans (fuzz)", () => {
    const arbitrarySpan = fc.record({
      trace: fc.integer({ min: 1, max: 6 }),
      service: fc.constantFrom("api", "dashboard", "cairn-gateway"),
      name: fc.constantFrom("GET /reports", "poll", "GET api.{domain}/", ""),
      start: fc.integer({ min: 0, max: 100 }),
      durationMs: fc.integer({ min: 0, max: 50 }),
      parent: fc.boolean(),
    });
    const filter = fc.record({
      service: fc.constantFrom(null, "api", "dashboard"),
      text: fc.constantFrom(null, "reports", "get", "poll"),
      minMs: fc.constantFrom(0, 10, 40),
    });
    fc.assert(
      fc.property(fc.array(arbitrarySpan, { maxLength: 30 }), filter, (raw, f) => {
        const spans = raw.map((r) =>
          span(r.trace, { service: r.service, name: r.name, start: r.start, durationMs: r.durationMs, parentSpanId: r.parent ? "dddddddddddddddd" : null }),
        );
        const listed = listTraces(spans, f, same);
        const everyTrace = listTraces(spans, NONE, same).traces;
        expect(listed.traces.map((t) => t.traceId)).toEqual(everyTrace.filter((t) => matches(t, f)).map((t) => t.traceId));
        for (const t of listed.traces) {
          if (f.service) expect(t.services).toContain(f.service);
          if (f.text) expect(`${t.name} ${t.path ?? ""}`.toLowerCase()).toContain(f.text);
          expect(t.durationMs).toBeGreaterThanOrEqual(f.minMs);
        }
        for (let i = 1; i < listed.traces.length; i++) expect(listed.traces[i - 1]?.start ?? 0).toBeGreaterThanOrEqual(listed.traces[i]?.start ?? 0);
      }),
      { numRuns: 500 },
    );
  });
});
