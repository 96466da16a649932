import { describe, expect, it } from "vitest";
import { formatDuration, formatSize, parseDuration, parsePercent, parseSize } from "./units.js";

const value = <T>(r: { ok: true; value: T } | { ok: false; error: string }) => (r.ok ? r.value : r.error);

describe("parseDuration", () => {
  it("reads units, combinations, fractions and bare seconds", () => {
    expect(value(parseDuration("500ms"))).toBe(500);
    expect(value(parseDuration("30s"))).toBe(30_000);
    expect(value(parseDuration("5m"))).toBe(300_000);
    expect(value(parseDuration("1h30m"))).toBe(5_400_000);
    expect(value(parseDuration("1.5h"))).toBe(5_400_000);
    expect(value(parseDuration("7d"))).toBe(604_800_000);
    expect(value(parseDuration("2w"))).toBe(1_209_600_000);
    expect(value(parseDuration(" 1h 30m "))).toBe(5_400_000);
    expect(value(parseDuration(90))).toBe(90_000);
  });

  it("refuses text without a unit, unknown units and negatives, with the exact message", () => {
    expect(parseDuration("5 minutes")).toEqual({ ok: false, error: '"5 minutes" is not a duration (use a number and a unit: 500ms, 30s, 5m, 1h, 7d, 2w)' });
    expect(parseDuration("30").ok).toBe(false);
    expect(parseDuration("1y").ok).toBe(false);
    expect(parseDuration("").ok).toBe(false);
    expect(parseDuration(-1)).toEqual({ ok: false, error: "a duration must be zero or more seconds" });
    expect(parseDuration(Number.NaN).ok).toBe(false);
  });
});

describe("parseSize", () => {
  it("reads binary and decimal units, case-insensitive, with a space or none", () => {
    expect(value(parseSize("512Mi"))).toBe(512 * 1024 ** 2);
    expect(value(parseSize("2Gi"))).toBe(2 * 1024 ** 3);
    expect(value(parseSize("4GB"))).toBe(4e9);
    expect(value(parseSize("200 MB"))).toBe(200e6);
    expect(value(parseSize("1tb"))).toBe(1e12);
    expect(value(parseSize("1.5Ki"))).toBe(1536);
    expect(value(parseSize("100"))).toBe(100);
    expect(value(parseSize(2048))).toBe(2048);
  });

  it("refuses unknown units and negatives, with the exact message", () => {
    expect(parseSize("3XB")).toEqual({ ok: false, error: '"3XB" is not a size (use a number and a unit: 512Mi, 2Gi, 4GB, 200MB)' });
    expect(parseSize("lots").ok).toBe(false);
    expect(parseSize("-1GB").ok).toBe(false);
    expect(parseSize(-5)).toEqual({ ok: false, error: "a size must be zero or more bytes" });
  });
});

describe("parsePercent", () => {
  it("reads 70%, 70 and 12.5%", () => {
    expect(value(parsePercent("70%"))).toBe(70);
    expect(value(parsePercent(70))).toBe(70);
    expect(value(parsePercent("12.5 %"))).toBe(12.5);
    expect(value(parsePercent("0%"))).toBe(0);
    expect(value(parsePercent("100%"))).toBe(100);
  });

  it("refuses values above 100% and text, with the exact message", () => {
    expect(parsePercent("170%")).toEqual({ ok: false, error: '"170%" is not a percentage (use a value from 0% to 100%)' });
    expect(parsePercent("much").ok).toBe(false);
    expect(parsePercent(-3).ok).toBe(false);
  });
});

describe("formatDuration and formatSize", () => {
  it("write the shortest exact form, and round-trip through the parsers", () => {
    expect(formatDuration(90_000)).toBe("90s");
    expect(formatDuration(3_600_000)).toBe("1h");
    expect(formatDuration(86_400_000 * 7)).toBe("7d");
    expect(formatDuration(1500)).toBe("1500ms");
    expect(formatSize(512 * 1024 ** 2)).toBe("512Mi");
    expect(formatSize(4e9)).toBe("4GB");
    expect(formatSize(1000)).toBe("1kB");
    expect(formatSize(100)).toBe("100");
    for (const ms of [500, 30_000, 5_400_000, 604_800_000]) expect(value(parseDuration(formatDuration(ms)))).toBe(ms);
    for (const b of [100, 1536, 4e9, 3 * 1024 ** 3]) expect(value(parseSize(formatSize(b)))).toBe(b);
  });
});
