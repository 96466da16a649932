import { describe, expect, it } from "vitest";
import { analyzeText, codesOf } from "../test-support/index.js";

describe("alarms rule", () => {
  it("accepts written and structured alarms", () => {
    expect(codesOf("name: s\nalarms:\n  - cpu > 80% for 5m\n  - p95 > 3s for 5m\n  - { metric: memory, threshold: 90%, for: 5m }\n")).toEqual([]);
  });

  it("reports an unknown metric with the known ones, at the alarm's line", () => {
    const [d] = analyzeText("name: s\nalarms:\n  - cpu > 80% for 5m\n  - cpux > 80%\n").diagnostics;
    expect([d?.code, d?.line, d?.column]).toEqual(["alarm/syntax", 4, 5]);
    expect(d?.message).toContain("error_rate");
  });

  it("reports text that is not an alarm, a bad duration and a bad threshold", () => {
    expect(codesOf("name: s\nalarms: [cpu is high]\n")).toEqual(["alarm/syntax"]);
    expect(codesOf("name: s\nalarms: [cpu > 80% for ages]\n")).toEqual(["alarm/syntax"]);
    expect(codesOf("name: s\nalarms: [{ metric: cpu, threshold: lots }]\n")).toEqual(["alarm/syntax"]);
  });

  it("checks the alarms an environment sets instead, at the override", () => {
    const text = "name: s\nalarms: [cpu > 80% for 5m]\nenvironments:\n  local: {}\n  prod:\n    alarms: [cpu is high]\n";
    expect(analyzeText(text).diagnostics.map((d) => [d.code, d.line, d.path.join(".")])).toEqual([["alarm/syntax", 6, "environments.prod.alarms.0"]]);
  });
});
