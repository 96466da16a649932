import { describe, expect, it } from "vitest";
import type { HealthCheck } from "../../model/types.js";
import { healthStatus, initialHealth, recordCheck } from "./state.js";

const check: HealthCheck = { path: "/health", intervalMs: 50, timeoutMs: 20, healthy: 3, unhealthy: 2, graceMs: 0, status: [200, 399] };

describe("target health (AWS target-group semantics)", () => {
  it("starts unhealthy and turns healthy on exactly the configured number of consecutive passes", () => {
    const s = initialHealth(0);
    expect(recordCheck(s, null, 1, check)).toBe(false);
    expect(recordCheck(s, "status 500", 2, check)).toBe(false);
    expect(recordCheck(s, null, 3, check)).toBe(false);
    expect(recordCheck(s, null, 4, check)).toBe(false);
    expect(s.healthy).toBe(false);
    expect(recordCheck(s, null, 5, check)).toBe(true);
    expect(s).toMatchObject({ healthy: true, checks: 5, lastCheck: 5, lastError: null });
    expect(healthStatus(s)).toBe("healthy");
  });

  it("turns unhealthy on exactly the configured number of consecutive failures", () => {
    const s = initialHealth(0, true);
    expect(recordCheck(s, "connection refused", 1, check)).toBe(false);
    expect(recordCheck(s, null, 2, check)).toBe(false);
    expect(recordCheck(s, "connection refused", 3, check)).toBe(false);
    expect(recordCheck(s, "connection refused", 4, check)).toBe(true);
    expect(s).toMatchObject({ healthy: false, lastError: "connection refused" });
    expect(healthStatus(s)).toBe("unhealthy");
    expect(healthStatus(initialHealth(0))).toBe("starting");
  });

  it("does not count failures during the grace period", () => {
    const s = initialHealth(0, true);
    const graced = { ...check, graceMs: 100 };
    for (let t = 10; t < 100; t += 10) expect(recordCheck(s, "down", t, graced)).toBe(false);
    expect(s.healthy).toBe(true);
    expect(recordCheck(s, "down", 100, graced)).toBe(false);
    expect(recordCheck(s, "down", 110, graced)).toBe(true);
  });
});
