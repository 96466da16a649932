import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RequestRing } from "./request-ring.js";
import { TextColumn } from "./text-column.js";

describe("text column", () => {
  it("gives back every string it was given, in a slot or by reference, and null as null", () => {
    const value = fc.oneof(
      fc.constant(null),
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(7), value), { maxLength: 60 }), (writes) => {
        const column = new TextColumn(8, 16);
        const expected = new Array<string | null>(8).fill(null);
        for (const [row, v] of writes) {
          column.set(row, v);
          expected[row] = v;
        }
        for (let row = 0; row < 8; row++) {
          expect(column.get(row)).toBe(expected[row]);
          const other = `${expected[row] ?? ""}x`;
          if (expected[row] !== null) expect(column.equals(row, expected[row] as string)).toBe(true);
          expect(column.equals(row, other)).toBe(false);
        }
      }),
    );
  });

  it("keeps a string longer than its slot, or with a character above U+00FF, by reference", () => {
    const column = new TextColumn(2, 4);
    column.set(0, "abcdefgh");
    column.set(1, "€uro");
    expect([column.get(0), column.get(1)]).toEqual(["abcdefgh", "€uro"]);
    column.set(0, "ab");
    expect(column.get(0)).toBe("ab");
  });

  it("refuses a width it cannot mark", () => {
    expect(() => new TextColumn(1, 0)).toThrow(/width is 1 to/);
    expect(() => new TextColumn(1, 70_000)).toThrow(/width is 1 to/);
  });

  it("lets the request ring give back long paths, request ids and trace ids unchanged", () => {
    const ring = new RequestRing(2);
    const path = `/a/${"x".repeat(300)}?q=\u00e9`;
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    ring.write({
      start: 1,
      durationMs: 2,
      id: "client-chosen-id-".repeat(5),
      method: "GET",
      path,
      status: 200,
      route: "/a",
      service: "a",
      replica: "a-1",
      error: null,
      traceId,
      spanId: "00f067aa0ba902b7",
      parentSpanId: null,
    });
    const [r] = ring.latest();
    expect(r).toMatchObject({ path, id: "client-chosen-id-".repeat(5), traceId, spanId: "00f067aa0ba902b7", parentSpanId: null });
    expect(ring.ofTrace(traceId)).toHaveLength(1);
    expect(ring.ofTrace(traceId.replace("4", "5"))).toHaveLength(0);
  });
});
