import { describe, expect, it } from "vitest";
import type { StackFile } from "../schema/stack.js";
import { applyEnvironment, deepMerge, environmentNames } from "./merge.js";

describe("deepMerge", () => {
  it("merges maps key by key, the override winning", () => {
    expect(deepMerge({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 4, e: 5 } })).toEqual({ a: 1, b: { c: 2, d: 4, e: 5 } });
  });

  it("removes a key given null", () => {
    expect(deepMerge({ scale: { min: 1 }, port: 80 }, { scale: null, replicas: 2 })).toEqual({ port: 80, replicas: 2 });
  });

  it("replaces lists and scalars instead of merging them", () => {
    expect(deepMerge({ l: [1, 2, 3], s: "a" }, { l: [9], s: "b" })).toEqual({ l: [9], s: "b" });
    expect(deepMerge({ m: { x: 1 } }, { m: [1] })).toEqual({ m: [1] });
  });

  it("keeps the base when the override is undefined, and does not mutate inputs", () => {
    const base = { a: { b: 1 } };
    expect(deepMerge(base, undefined)).toBe(base);
    deepMerge(base, { a: { b: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
  });
});

describe("applyEnvironment", () => {
  const file = {
    name: "s",
    domain: "example.com",
    services: { web: { run: "x", port: 80, scale: { min: 1, max: 3 } }, other: { run: "y" } },
    routes: [{ path: "/", to: "web" }],
    alarms: ["cpu > 80% for 5m"],
    edge: { port: 443, tls: "auto" as const },
    environments: {
      local: {
        domain: "localhost",
        services: { web: { scale: null, replicas: 1 } },
        edge: { port: 8080, tls: false as const },
        routes: [{ path: "/app", to: "web" }],
      },
      prod: {},
    },
  } satisfies StackFile;

  it("applies overrides: null removes, maps merge, lists replace", () => {
    const local = applyEnvironment(file, "local");
    expect(local.services?.web).toEqual({ run: "x", port: 80, replicas: 1 });
    expect(local.services?.other).toEqual({ run: "y" });
    expect(local.edge).toEqual({ port: 8080, tls: false });
    expect(local.routes).toEqual([{ path: "/app", to: "web" }]);
    expect(local.alarms).toEqual(["cpu > 80% for 5m"]);
    expect(local.domain).toBe("localhost");
  });

  it("returns the file itself for an environment without overrides or none", () => {
    expect(applyEnvironment(file, null)).toBe(file);
    expect(applyEnvironment(file, "prod").services).toEqual(file.services);
  });

  it("names environments in file order, `local` when there are none", () => {
    expect(environmentNames(file)).toEqual(["local", "prod"]);
    expect(environmentNames({ name: "s" })).toEqual(["local"]);
  });
});
