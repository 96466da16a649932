import { describe, expect, it } from "vitest";
import { RateLimiter, sameRule } from "./rate-limit.js";

function limiter(requests: number, perMs: number, burst = 0) {
  const clock = { t: 1_000_000 };
  return { clock, limiter: new RateLimiter({ requests, perMs, burst }, () => clock.t) };
}

describe("sliding window rate limit", () => {
  it("admits exactly N requests in the window, then says how long to wait", () => {
    const { limiter: l } = limiter(100, 60_000);
    const verdicts = Array.from({ length: 130 }, () => l.take("1.2.3.4"));
    expect(verdicts.filter((v) => v === 0)).toHaveLength(100);
    expect(verdicts.slice(100).every((v) => v === 60)).toBe(true);
  });

  it("never admits more than N in any window, across window boundaries", () => {
    const { clock, limiter: l } = limiter(10, 1_000);
    const admitted: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      clock.t += 7;
      if (l.take("c") === 0) admitted.push(clock.t);
    }
    for (let i = 10; i < admitted.length; i++) expect((admitted[i] as number) - (admitted[i - 10] as number)).toBeGreaterThan(1_000 - 1);
    // and it admits as many as the rule allows: 10 per second over 35 s
    expect(admitted.length).toBeGreaterThanOrEqual(340);
  });

  it("counts each client apart and adds the burst to the allowance", () => {
    const { limiter: l } = limiter(2, 1_000, 1);
    expect([l.take("a"), l.take("a"), l.take("a"), l.take("a")].filter((v) => v === 0)).toHaveLength(3);
    expect(l.take("b")).toBe(0);
  });

  it("admits again once the oldest admission leaves the window, and forgets idle clients", () => {
    const { clock, limiter: l } = limiter(3, 1_000);
    for (let i = 0; i < 3; i++) l.take("a");
    expect(l.take("a")).toBe(1);
    clock.t += 1_001;
    expect(l.take("a")).toBe(0);
    clock.t += 5_000;
    l.take("b");
    expect(l.clientCount).toBe(1);
  });

  it("keeps windows on reload only when the rule is the same", () => {
    expect(sameRule({ requests: 1, perMs: 1, burst: 0 }, { requests: 1, perMs: 1, burst: 0 })).toBe(true);
    expect(sameRule({ requests: 1, perMs: 1, burst: 0 }, null)).toBe(false);
  });
});
