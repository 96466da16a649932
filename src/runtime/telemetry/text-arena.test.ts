import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskPath } from "../gateway/access-log.js";
import { type RequestEntry, RequestRing } from "./request-ring.js";
import { TextArena } from "./text-arena.js";

const latin1 = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength });
const anyText = (maxLength: number) => fc.oneof(latin1(maxLength), fc.string({ unit: "binary", maxLength }));
const orNull = (text: fc.Arbitrary<string>) => fc.oneof(fc.constant(null), text);

const entry: fc.Arbitrary<RequestEntry> = fc.record({
  start: fc.double({ noNaN: true }),
  durationMs: fc.double({ min: 0, noNaN: true }),
  id: anyText(80),
  method: fc.constantFrom("GET", "POST"),
  path: fc.oneof(latin1(40), anyText(400)),
  status: fc.integer({ min: 0, max: 599 }),
  route: orNull(fc.constantFrom("/api", "/")),
  service: orNull(fc.constantFrom("api", "web")),
  replica: orNull(fc.constantFrom("api-1", "web-1")),
  error: orNull(anyText(20)),
  traceId: orNull(fc.oneof(fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 32, maxLength: 32 }), anyText(40))),
  spanId: orNull(fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 16, maxLength: 16 })),
  parentSpanId: orNull(anyText(20)),
});

describe("request ring text", () => {
  it("gives back the newest N requests' strings unchanged, in the arena or by reference, whatever their lengths", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(entry, { maxLength: 40 }), (size, entries) => {
        const ring = new RequestRing(size);
        for (const e of entries) ring.write(e);
        const held = entries.slice(-size).reverse();
        expect(ring.latest()).toEqual(held.map((e) => ({ ...e, path: maskPath(e.path), status: e.status })));
        for (const e of held) {
          if (e.traceId === null) continue;
          expect(ring.ofTrace(e.traceId)).toHaveLength(held.filter((h) => h.traceId === e.traceId).length);
        }
      }),
    );
  });

  it("keeps every held row readable when each fills its whole share of the arena, turn after turn", () => {
    const ring = new RequestRing(3);
    const full = (i: number): RequestEntry => ({
      start: i,
      durationMs: 1,
      id: `id-${i}`.padEnd(64, "x"),
      method: "GET",
      // 384 bytes of text in all, then one byte more (kept by reference) every third request.
      path: `/${i}`.padEnd(384 - 64 - 32 - 16 - 16 + (i % 3 === 0 ? 1 : 0), "p"),
      status: 200,
      route: null,
      service: null,
      replica: null,
      error: null,
      traceId: String(i).padStart(32, "0"),
      spanId: String(i).padStart(16, "0"),
      parentSpanId: String(i).padStart(16, "1"),
    });
    for (let i = 1; i <= 20; i++) {
      ring.write(full(i));
      const expected = [i, i - 1, i - 2].filter((k) => k >= 1).map(full);
      expect(ring.latest().map((r) => [r.id, r.path, r.traceId, r.parentSpanId])).toEqual(expected.map((e) => [e.id, e.path, e.traceId, e.parentSpanId]));
    }
  });

  it("never lets a new run overwrite a held one when the arena's end is too near to take it", () => {
    const ring = new RequestRing(2);
    const write = (id: string, path: string) =>
      ring.write({
        start: 1,
        durationMs: 1,
        id,
        method: "GET",
        path,
        status: 200,
        route: null,
        service: null,
        replica: null,
        error: null,
        traceId: null,
        spanId: null,
        parentSpanId: null,
      });
    write("a", "");
    write("b", "/".padEnd(383, "p"));
    write("c", "/".padEnd(383, "q"));
    expect(ring.latest().map((r) => [r.id, r.path])).toEqual([
      ["c", "/".padEnd(383, "q")],
      ["b", "/".padEnd(383, "p")],
    ]);
  });

  it("keeps a request with a character above U+00FF by reference", () => {
    const ring = new RequestRing(2);
    const base = {
      start: 1,
      durationMs: 1,
      method: "GET",
      status: 200,
      route: null,
      service: null,
      replica: null,
      error: null,
      spanId: null,
      parentSpanId: null,
    };
    ring.write({ ...base, id: "a", path: "/€uro", traceId: "t" });
    ring.write({ ...base, id: "b", path: "/plain", traceId: "t\u0100" });
    expect(ring.latest().map((r) => [r.id, r.path, r.traceId])).toEqual([
      ["b", "/plain", "t\u0100"],
      ["a", "/€uro", "t"],
    ]);
    expect(ring.ofTrace("t")).toHaveLength(1);
    expect(ring.ofTrace("t\u0100")).toHaveLength(1);
  });

  it("refuses an arena it cannot use and a run longer than itself", () => {
    expect(() => new TextArena(0)).toThrow(/at least 1 byte/);
    expect(() => new TextArena(8).reserve(9)).toThrow(/does not fit/);
    const arena = new TextArena(8);
    expect([arena.reserve(5), arena.reserve(3), arena.reserve(4)]).toEqual([0, 5, 0]);
  });
});
