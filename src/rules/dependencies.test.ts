import { describe, expect, it } from "vitest";
import { analyzeText, codesOf } from "../test-support/index.js";
import { findCycles } from "./dependencies.js";

describe("dependencies rule", () => {
  it("accepts depends_on naming services and resources", () => {
    const text = "name: s\nservices:\n  a: { run: x, depends_on: [b, db] }\n  b: { run: x }\nresources:\n  db: { type: redis, persistence: false }\n";
    expect(codesOf(text)).toEqual([]);
  });

  it("reports an unknown name with a suggestion, at the list item", () => {
    const text = "name: s\nservices:\n  api: { run: x, depends_on: [dbb] }\nresources:\n  db: { type: redis, persistence: false }\n";
    const [d] = analyzeText(text).diagnostics;
    expect([d?.code, d?.line, d?.column]).toEqual(["deps/unknown", 3, 31]);
    expect(d?.message).toContain('did you mean "db"?');
  });

  it("reports a cycle of declared dependencies", () => {
    const text = "name: s\nservices:\n  a: { run: x, depends_on: [b] }\n  b: { run: x, depends_on: [c] }\n  c: { run: x, depends_on: [a] }\n";
    const ds = analyzeText(text).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(["deps/cycle"]);
    expect(ds[0]?.message).toBe("dependency cycle: a -> b -> c -> a");
  });

  it("counts references in env as dependencies", () => {
    const text = 'name: s\nservices:\n  a: { run: x, port: 1, env: { B: "${b.url}" } }\n  b: { run: x, port: 2, depends_on: [a] }\n';
    expect(codesOf(text)).toEqual(["deps/cycle"]);
  });

  it("does not count a service's reference to itself as a cycle", () => {
    const text = 'name: s\nservices:\n  a: { run: x, port: 1, env: { SELF: "${a.url}" } }\n';
    expect(codesOf(text)).toEqual([]);
  });

  it("reports a service that depends on itself", () => {
    expect(codesOf("name: s\nservices:\n  a: { run: x, depends_on: [a] }\n")).toEqual(["deps/cycle"]);
  });

  it("finds cycles in linear time on a long chain", () => {
    const graph = new Map<string, string[]>();
    for (let i = 0; i < 50_000; i++) graph.set(`n${i}`, i + 1 < 50_000 ? [`n${i + 1}`] : []);
    expect(findCycles(graph)).toEqual([]);
    graph.set("n49999", ["n0"]);
    expect(findCycles(graph)[0]?.length).toBe(50_001);
  });

  it("checks depends_on and cycles an environment's override brings, at the override", () => {
    const text = `name: s
services:
  a: { run: x }
  b: { run: x }
jobs:
  j: { run: x, timeout: 1m }
environments:
  local: {}
  prod:
    services:
      a: { depends_on: [b, ghost, j] }
      b: { depends_on: [a] }
`;
    const ds = analyzeText(text).diagnostics;
    expect(ds.map((d) => [d.code, d.line])).toEqual([
      ["deps/cycle", 11],
      ["deps/unknown", 11],
      ["deps/unknown", 11],
    ]);
    expect(ds[2]?.message).toBe('"j" is a job: depends_on names services and resources, which run before');
  });
});
