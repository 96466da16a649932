/** The printed report: aligned columns within 100 characters, long details wrapped under their column, a summary. */
import { describe, expect, it } from "vitest";
import { renderReport, WIDTH, wrap } from "./render.js";
import type { CheckResult, VerifyReport } from "./types.js";

const plain = { green: (s: string) => s, yellow: (s: string) => s, red: (s: string) => s, dim: (s: string) => s, bold: (s: string) => s };
const check = (kind: CheckResult["kind"], target: string, status: CheckResult["status"], detail: string, service: string | null = null): CheckResult => ({
  kind,
  target,
  service,
  status,
  detail,
  ms: null,
});

function report(checks: CheckResult[]): VerifyReport {
  const counts = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  return { stack: "shop", environment: "mvp", address: "https://shop.example.org", ok: counts.fail === 0, checks, counts, ms: 420 };
}

describe("the verify report", () => {
  it("aligns every column and keeps each line within 100 characters", () => {
    const text = renderReport(
      report([
        check("route", "https://api.shop.example.org/", "pass", "200 in 12 ms", "api"),
        check("tls", "https://a-very-long-host-name-for-a-test.shop.example.org", "warn", "expires in 12 days (2027-01-01): renew it, issuer Let's Encrypt"),
        check("ports", "203.0.113.10", "fail", "open but not declared: 5432, 6379; open 80, 443; 22 open here (from 198.51.100.7/32); 19 others closed"),
        check("rate-limit", "100/60 s", "skip", "not probed: --probe-limits sends up to 120 requests"),
      ]),
      plain,
    );
    const lines = text.trimEnd().split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(WIDTH);
    expect(lines[0]).toBe("shop (mvp) at https://shop.example.org");
    expect(lines[1]).toBe("  ok    route       https://api.shop.example.org/                 api: 200 in 12 ms");
    expect(lines[2]).toMatch(/^ {2}warn {2}tls {9}https:\/\/a-very-long-host-name-for-a-test\.sh… {2}expires in 12 days/);
    const detailColumn = lines[1]?.indexOf("api:") ?? -1;
    const continued = lines.filter((l) => l.startsWith(" ".repeat(detailColumn)) && l.trim());
    expect(continued.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toBe("3 checks: 1 passed, 1 warning, 1 failed, 1 skipped in 0.4 s");
  });

  it("wraps at word boundaries and cuts a word longer than the column", () => {
    expect(wrap("one two three", 7)).toEqual(["one two", "three"]);
    expect(wrap("abcdefghij", 5)).toEqual(["abcd…"]);
  });
});
