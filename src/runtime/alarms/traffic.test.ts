import { describe, expect, it } from "vitest";
import { samplesFrom } from "./samples.js";
import { TrafficWindow, windowsFromTraffic } from "./traffic.js";

const traffic = (service: string, requests: number, errors: number, p95: number | null) => ({
  service,
  requests,
  classes: { "5xx": errors },
  p50: p95 === null ? null : p95 / 2,
  p95,
  p99: p95 === null ? null : p95 * 2,
});

describe("request windows from the gateway's traffic", () => {
  it("gives each service its window and the edge the sums, so error_rate and p95 alarms read them", () => {
    const windows = windowsFromTraffic([traffic("api", 90, 9, 120), traffic("web", 10, 1, 800)]);
    const samples = samplesFrom({ usage: new Map(), healthyHosts: new Map(), requests: windows });
    expect(samples("error_rate", "api")).toBe(10);
    expect(samples("error_rate", null)).toBe(10);
    expect(samples("requests", null)).toBe(100);
    expect(samples("p95", "web")).toBe(800);
    expect(samples("p95", null)).toBe(800);
    expect(samples("p99", "api")).toBe(240);
    expect(samples("error_rate", "quiet")).toBe(0);
    expect(samples("p95", "quiet")).toBeNull();
  });

  it("starts each window at the oldest snapshot within its span", () => {
    const window = new TrafficWindow<{ at: number }>(60_000);
    expect(window.push({ at: 0 })).toBeNull();
    expect(window.push({ at: 30_000 })).toEqual({ at: 0 });
    expect(window.push({ at: 60_000 })).toEqual({ at: 0 });
    expect(window.push({ at: 75_000 })).toEqual({ at: 30_000 });
  });
});
