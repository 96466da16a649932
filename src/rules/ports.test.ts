import { describe, expect, it } from "vitest";
import { analyzeText, codesOf } from "../test-support/index.js";

describe("ports rule", () => {
  it("accepts distinct ports", () => {
    expect(codesOf("name: s\nservices:\n  a: { run: x, port: 3000 }\n  b: { run: x, port: 3001 }\nedge: { port: 8080 }\n")).toEqual([]);
  });

  it("reports two services on one port, at the second", () => {
    const [d, ...rest] = analyzeText("name: s\nservices:\n  a: { run: x, port: 3000 }\n  b: { run: x, port: 3000 }\n").diagnostics;
    expect(rest).toEqual([]);
    expect([d?.code, d?.line, d?.column]).toEqual(["port/clash", 4, 22]);
    expect(d?.message).toContain('already used by service "a"');
  });

  it("counts the edge's default port (80, 443 with TLS) when it has routes to serve", () => {
    const routed = "name: s\nservices:\n  a: { run: x, port: 80 }\nroutes: [{ path: /, to: a }]\n";
    const [d] = analyzeText(routed).diagnostics.filter((x) => x.code === "port/clash");
    expect(d?.message).toContain("the edge (default port 80)");
    expect(codesOf("name: s\nservices:\n  a: { run: x, port: 443 }\nroutes: [{ path: /, to: a }]\nedge: { tls: auto }\n")).toContain("port/clash");
    // No routes: no gateway listens, so a service may take port 80.
    expect(codesOf("name: s\nservices:\n  a: { run: x, port: 80 }\n")).not.toContain("port/clash");
  });

  it("reports a service on the edge's port", () => {
    const [d] = analyzeText("name: s\nservices:\n  a: { run: x, port: 8080 }\nedge: { port: 8080 }\n").diagnostics;
    expect(d?.code).toBe("port/clash");
    expect(d?.message).toContain("the edge");
  });

  it("reports a clash that only an environment's override creates, naming the environment", () => {
    const text =
      "name: s\nservices:\n  a: { run: x, port: 3000 }\n  b: { run: x, port: 3001 }\nenvironments:\n  local: {}\n  prod:\n    services: { b: { port: 3000 } }\n";
    const ds = analyzeText(text).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(["port/clash"]);
    expect(ds[0]?.message).toContain("environment prod");
  });
});
