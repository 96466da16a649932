import { describe, expect, it } from "vitest";
import { analyzeText, codesOf } from "../test-support/index.js";

const stack = (routes: string) => `name: s
services:
  web: { run: x, port: 3000, health: /health }
  worker: { run: x }
resources:
  site: { type: static, dir: dist }
routes:
${routes}`;

describe("routes rule", () => {
  it("accepts routes to services with a port and to static sites", () => {
    expect(codesOf(stack("  - { path: /api, to: web }\n  - { host: app.example.com, to: web }\n  - { path: /, to: site }\n"))).toEqual([]);
  });

  it("reports a route to a missing service, with a suggestion, at `to`", () => {
    const [d] = analyzeText(stack("  - { path: /, to: wbe }\n")).diagnostics;
    expect([d?.code, d?.line, d?.column]).toEqual(["route/missing-service", 8, 20]);
    expect(d?.message).toContain('did you mean "web"?');
  });

  it("reports a route to a service without a port", () => {
    expect(codesOf(stack("  - { path: /, to: worker }\n"))).toEqual(["route/no-port"]);
  });

  it("reports duplicate routes, trailing slash and host case ignored", () => {
    expect(codesOf(stack("  - { path: /api, to: web }\n  - { path: /api/, to: web }\n"))).toEqual(["route/duplicate"]);
    expect(codesOf(stack("  - { host: A.example.com, to: web }\n  - { host: a.example.com, path: /, to: web }\n"))).toEqual(["route/duplicate"]);
    expect(codesOf(stack("  - { host: a.example.com, path: /x, to: web }\n  - { host: b.example.com, path: /x, to: web }\n"))).toEqual([]);
  });

  it("reports a route with neither host nor path", () => {
    const [d] = analyzeText(stack("  - { to: web }\n")).diagnostics;
    expect([d?.code, d?.line]).toEqual(["route/none", 8]);
  });
});
