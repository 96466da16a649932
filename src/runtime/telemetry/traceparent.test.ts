import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTraceparent, IdSource, parseTraceparent, validTraceparent } from "./traceparent.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";

describe("traceparent", () => {
  it("reads the specification's example", () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({ traceId: TRACE, parentId: SPAN, flags: "01" });
  });

  it("refuses version ff, upper case, all-zero ids, wrong lengths and separators", () => {
    for (const bad of [
      undefined,
      "",
      `ff-${TRACE}-${SPAN}-01`,
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
      `00-${"0".repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${"0".repeat(16)}-01`,
      `00-${TRACE}-${SPAN}-01-extra`,
      `00-${TRACE}-${SPAN}-0g`,
      `00_${TRACE}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-1`,
      `0x-${TRACE}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-01,00-${TRACE}-${SPAN}-01`,
    ])
      expect(parseTraceparent(bad), String(bad)).toBeNull();
  });

  it("accepts a later version with more fields after a dash, as the specification asks", () => {
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-what-comes`)?.traceId).toBe(TRACE);
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01x`)).toBeNull();
  });

  it("never throws, and whatever it accepts makes a valid version-00 header", () => {
    const hexChar = fc.constantFrom(..."0123456789abcdefABCDEF-xz ");
    const nearly = fc.array(hexChar, { minLength: 50, maxLength: 60 }).map((c) => c.join(""));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), nearly), (value) => {
        const ctx = parseTraceparent(value);
        if (ctx !== null) expect(validTraceparent(formatTraceparent(ctx.traceId, "00f067aa0ba902b7", ctx.flags))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("draws valid, distinct ids", () => {
    const ids = new IdSource();
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const trace = ids.traceId();
      const span = ids.spanId();
      expect(validTraceparent(formatTraceparent(trace, span, "01"))).toBe(true);
      seen.add(trace);
    }
    expect(seen.size).toBe(1000);
  });
});
