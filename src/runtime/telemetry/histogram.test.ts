import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUCKET_BOUNDS_MS, BUCKETS, bucketOf, DurationHistogram, histogramDelta, quantile } from "./histogram.js";

describe("duration histogram", () => {
  it("has ascending bounds from 0.1 ms to 100 s, one bucket per bound and one above", () => {
    expect(BUCKET_BOUNDS_MS[0]).toBe(0.1);
    expect(BUCKET_BOUNDS_MS.at(-1)).toBe(100_000);
    for (let i = 1; i < BUCKET_BOUNDS_MS.length; i++) expect(BUCKET_BOUNDS_MS[i]).toBeGreaterThan(BUCKET_BOUNDS_MS[i - 1] ?? 0);
    expect(BUCKETS).toBe(BUCKET_BOUNDS_MS.length + 1);
  });

  it("puts a duration in the first bucket whose bound is at least it; NaN, negatives and huge values stay in range", () => {
    expect(bucketOf(0.1)).toBe(0);
    expect(bucketOf(0.11)).toBe(1);
    expect(bucketOf(1)).toBe(BUCKET_BOUNDS_MS.indexOf(1));
    expect(bucketOf(1.01)).toBe(BUCKET_BOUNDS_MS.indexOf(1.25));
    expect(bucketOf(Number.NaN)).toBe(0);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(1e9)).toBe(BUCKETS - 1);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), (ms) => {
        const b = bucketOf(ms);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThan(BUCKETS);
        if (b < BUCKET_BOUNDS_MS.length) expect(ms).toBeLessThanOrEqual(BUCKET_BOUNDS_MS[b] ?? 0);
        if (b > 0) expect(ms).toBeGreaterThan(BUCKET_BOUNDS_MS[b - 1] ?? 0);
      }),
    );
  });

  it("reads p50, p95 and p99 within a quarter of the true value", () => {
    const h = new DurationHistogram();
    // 1..1000 ms, one of each: true p50 = 500, p95 = 950, p99 = 990.
    for (let ms = 1; ms <= 1000; ms++) h.record(ms);
    expect(h.count).toBe(1000);
    expect(h.sumMs).toBe(500_500);
    for (const [q, truth] of [
      [0.5, 500],
      [0.95, 950],
      [0.99, 990],
    ] as const) {
      const read = quantile(h, q) ?? 0;
      expect(Math.abs(read - truth) / truth).toBeLessThanOrEqual(0.25);
    }
  });

  it("has no quantile when empty, and reads the last bound for durations past it", () => {
    const h = new DurationHistogram();
    expect(quantile(h.copy(), 0.5)).toBeNull();
    h.record(500_000);
    expect(quantile(h.copy(), 0.99)).toBe(100_000);
  });

  it("gives the durations between two reads by subtraction", () => {
    const h = new DurationHistogram();
    for (let i = 0; i < 100; i++) h.record(1);
    const before = h.copy();
    for (let i = 0; i < 10; i++) h.record(2000);
    const window = histogramDelta(h.copy(), before);
    expect(window.count).toBe(10);
    expect(quantile(window, 0.5)).toBeGreaterThan(1500);
    expect(quantile(h.copy(), 0.5)).toBeLessThanOrEqual(1);
  });
});
