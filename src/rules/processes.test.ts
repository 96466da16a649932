import { describe, expect, it } from "vitest";
import { analyzeText, codesOf } from "../test-support/index.js";

describe("processes rule", () => {
  it("accepts run, image or build", () => {
    expect(codesOf("name: s\nservices:\n  a: { run: x }\n  b: { image: nginx }\n  c: { build: . }\n")).toEqual([]);
  });

  it("reports a service or job with nothing to run", () => {
    const ds = analyzeText("name: s\nservices:\n  a: { port: 3000 }\njobs:\n  j: { timeout: 1m }\n").diagnostics;
    expect(ds.map((d) => [d.code, d.line])).toEqual([
      ["service/no-command", 3],
      ["service/no-command", 5],
    ]);
  });

  it("reports scale bounds out of order: min > max, desired above max", () => {
    expect(codesOf("name: s\nservices:\n  a: { run: x, scale: { min: 3, max: 2 } }\n")).toEqual(["scale/bounds"]);
    expect(codesOf("name: s\nservices:\n  a: { run: x, scale: { min: 1, max: 4, desired: 5 } }\n")).toEqual(["scale/bounds"]);
    expect(codesOf("name: s\nservices:\n  a: { run: x, scale: { min: 1, max: 4, desired: 2 } }\n")).toEqual([]);
  });

  it("reports replicas and scale together, at replicas", () => {
    const [d] = analyzeText("name: s\nservices:\n  a: { run: x, replicas: 2, scale: { min: 1, max: 3 } }\n").diagnostics;
    expect([d?.code, d?.path.join(".")]).toEqual(["scale/replicas-and-scale", "services.a.replicas"]);
  });

  it("accepts an environment that swaps scale for replicas with null", () => {
    const text = "name: s\nservices:\n  a: { run: x, scale: { min: 1, max: 3 } }\nenvironments:\n  local:\n    services: { a: { scale: null, replicas: 1 } }\n";
    expect(codesOf(text)).toEqual([]);
  });
});
