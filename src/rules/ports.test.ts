import { describe, expect, it } from "vitest";
import { analyzeText, codesOf } from "../test-support/index.js";

/** A stack whose only environment runs on `target`. */
const on = (target: string, body: string) => `name: s\n${body}environments:\n  e: { target: ${target} }\n`;

describe("ports rule", () => {
  it("accepts distinct ports on a machine", () => {
    expect(codesOf(on("vm", "services:\n  a: { run: x, port: 3000 }\n  b: { run: x, port: 3001 }\nedge: { port: 8080 }\n"))).toEqual([]);
  });

  it("reports two services on one port of a vm, at the second", () => {
    const [d, ...rest] = analyzeText(on("vm", "services:\n  a: { run: x, port: 3000 }\n  b: { run: x, port: 3000 }\n")).diagnostics;
    expect(rest).toEqual([]);
    expect([d?.code, d?.line, d?.column]).toEqual(["port/clash", 4, 22]);
    expect(d?.message).toBe('port 3000 of "b" is already used by service "a" on the vm machine of environment e');
  });

  it("lets services share a port where each has its own network: containers, pods, tasks, and cairn up", () => {
    const shared =
      "services:\n  a: { run: x, image: i, port: 8000 }\n  b: { run: x, image: i, port: 8000 }\nroutes: [{ path: /a, to: a }, { path: /b, to: b }]\nedge: { port: 8000 }\n";
    for (const target of ["compose", "k8s", "aws", "local"])
      expect([target, codesOf(on(target, shared)).filter((c) => c.startsWith("port/"))]).toEqual([target, []]);
    // A file with no environment runs locally.
    expect(codesOf("name: s\nservices:\n  a: { run: x, port: 8000 }\n  b: { run: x, port: 8000 }\n")).toEqual([]);
  });

  it("counts the edge's default port (80, 443 with TLS) on a vm when it has routes to serve", () => {
    const routed = on("vm", "services:\n  a: { run: x, port: 80 }\nroutes: [{ path: /, to: a }]\n");
    const [d] = analyzeText(routed).diagnostics.filter((x) => x.code === "port/clash");
    expect(d?.message).toContain("the edge (default port 80)");
    expect(codesOf(on("vm", "services:\n  a: { run: x, port: 443 }\nroutes: [{ path: /, to: a }]\nedge: { tls: auto }\n"))).toContain("port/clash");
    // No routes: no nginx listens, so a service may take port 80.
    expect(codesOf(on("vm", "services:\n  a: { run: x, port: 80 }\n"))).not.toContain("port/clash");
  });

  it("reports a clash that only an environment's override creates, at the override", () => {
    const text =
      "name: s\nservices:\n  a: { run: x, port: 3000 }\n  b: { run: x, port: 3001 }\nenvironments:\n  local: {}\n  prod:\n    target: vm\n    services: { b: { port: 3000 } }\n";
    const ds = analyzeText(text).diagnostics;
    expect(ds.map((d) => [d.code, d.line])).toEqual([["port/clash", 9]]);
    expect(ds[0]?.message).toContain("environment prod");
  });
});
