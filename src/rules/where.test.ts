import { describe, expect, it } from "vitest";
import type { StackFile } from "../schema/stack.js";
import { analyzeText } from "../test-support/index.js";
import { where } from "./where.js";

const file = {
  name: "s",
  services: { web: { run: "x", port: 1 } },
  routes: [{ path: "/", to: "web" }],
  environments: { prod: { services: { web: { port: 2 } }, routes: [{ path: "/x", to: "web" }] }, bare: {} },
} satisfies StackFile;

describe("where", () => {
  it("points at the override when the environment wrote the value", () => {
    expect(where(file, "prod", ["services", "web", "port"])).toEqual(["environments", "prod", "services", "web", "port"]);
    expect(where(file, "prod", ["routes", 0, "to"])).toEqual(["environments", "prod", "routes", 0, "to"]);
  });

  it("keeps the stack's own place otherwise", () => {
    expect(where(file, "prod", ["services", "web", "run"])).toEqual(["services", "web", "run"]);
    expect(where(file, "bare", ["services", "web", "port"])).toEqual(["services", "web", "port"]);
    expect(where(file, "missing", ["routes", 0])).toEqual(["routes", 0]);
  });
});

describe("file rules on environment overrides", () => {
  it("place an error an override causes at the override's line", () => {
    const text = `name: s
services:
  a: { run: x, port: 3000 }
  b: { run: x, port: 3001, scale: { min: 1, max: 3 } }
jobs:
  j: { run: x, timeout: 1m, schedule: daily }
routes:
  - { path: /, to: a }
environments:
  local: {}
  prod:
    target: vm
    services:
      b: { port: 3000, scale: { min: 5, max: 3 } }
    jobs:
      j: { schedule: "0 2 1 * 1" }
    routes:
      - { path: /, to: c }
`;
    expect(analyzeText(text).diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["port/clash", 14],
      ["scale/bounds", 14],
      ["schedule/invalid", 16],
      ["route/missing-service", 18],
    ]);
  });
});
