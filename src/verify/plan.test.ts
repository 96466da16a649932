/** The checks planned from the model for the reference architectures: what is probed where, and what is expected. */
import { describe, expect, it } from "vitest";
import type { Stack } from "../model/types.js";
import { planVm } from "../targets/vm/plan.js";
import { codesOf, exampleStack, stackFrom } from "../test-support/index.js";
import { planVerify } from "./plan.js";
import { expectedPorts } from "./plan-ports.js";
import type { PlannedCheck, VerifyHost } from "./types.js";
import { whereOf } from "./where.js";

const hosts: VerifyHost[] = [{ source: "admin@203.0.113.10", user: "admin", host: "203.0.113.10", port: 22 }];

function plan(stack: Stack, input: { url?: string; hosts?: VerifyHost[]; probeLimits?: boolean } = {}) {
  const found = whereOf(stack, { url: input.url, hosts: input.hosts ?? [], serviceAddresses: new Map([["api", "127.0.0.1:40001"]]) });
  if ("error" in found) throw new Error(found.error);
  return planVerify(stack, found.where, { probeLimits: input.probeLimits ?? false, vmPlanOf: () => planVm(stack) });
}

const lines = (checks: readonly PlannedCheck[]) => checks.map((c) => `${c.kind} ${c.target}${c.service ? ` (${c.service})` : ""}`);

describe("planning a verify", () => {
  it("CityFlow local: its routes, health paths and the dashboard's WebSocket at /live, through the running gateway", async () => {
    const { checks, skipped } = plan(await exampleStack("cityflow", "local"));
    expect(lines(checks)).toEqual([
      "route http://api.localhost:8080/ (api)",
      "route http://dashboard.localhost:8080/ (dashboard)",
      "health http://api.localhost:8080/health (api)",
      "health http://dashboard.localhost:8080/healthz (dashboard)",
      "websocket ws://dashboard.localhost:8080/live (dashboard)",
    ]);
    expect(checks.every((c) => c.probe.kind !== "http" || c.probe.request.entrance.connect === "127.0.0.1")).toBe(true);
    expect(skipped.map((s) => `${s.kind}: ${s.detail}`)).toEqual(["tls: the local gateway serves plain HTTP"]);
  });

  it("CityFlow mvp: TLS for each host name, the HTTP redirect, the ports of its host and its units and timer over SSH", async () => {
    const { checks } = plan(await exampleStack("cityflow", "mvp"), { hosts });
    expect(lines(checks.filter((c) => c.kind === "tls" || c.kind === "redirect"))).toEqual([
      "tls https://api.cityflow.example.org",
      "tls https://dashboard.cityflow.example.org",
      "redirect http://api.cityflow.example.org/",
    ]);
    const redirect = checks.find((c) => c.kind === "redirect")?.probe;
    expect(redirect).toMatchObject({ kind: "redirect", to: "https://api.cityflow.example.org/", request: { entrance: { port: 80, connect: null } } });
    const remote = checks.find((c) => c.probe.kind === "remote")?.probe;
    expect(remote).toMatchObject({
      host: hosts[0],
      expected: {
        services: [
          { name: "api", pattern: "cityflow-api@*.service", replicas: 1 },
          { name: "dashboard", pattern: "cityflow-dashboard@*.service", replicas: 1 },
        ],
        timers: [{ unit: "cityflow-processor.timer" }],
        health: [],
      },
    });
  });

  it("expects the edge's ports open, the admin port allowed from its address, and the services' own ports closed", async () => {
    const ports = expectedPorts(await exampleStack("cityflow", "mvp"));
    expect(ports.open).toEqual([80, 443]);
    expect(ports.allowed).toEqual([{ port: 22, from: ["198.51.100.7/32"] }]);
    expect(ports.closed).toEqual(expect.arrayContaining([5001, 8501, 5432, 6379, 3306, 27017]));
    expect(ports.closed).not.toContain(443);
  });

  it("on a vm host, expects closed every port the deploy listens on: each replica's own and spare port, and the data stores'", () => {
    const stack = stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 4100, replicas: 2 } }
routes: [{ path: /, to: web }]
resources: { cache: { type: redis, memory: 1GB } }
environments: { mvp: { target: vm } }
`);
    const vm = planVm(stack);
    const live = vm.replicas.flatMap((r) => [r.port, r.sparePort]);
    expect(live).toEqual([4100, 4102, 4101, 4103]);
    const { closed } = expectedPorts(stack, vm);
    expect(closed).toEqual(expect.arrayContaining([4100, 4101, 4102, 4103, vm.layout.redisPorts.get("cache")]));
    // Without the plan only the services' declared ports are known.
    expect(expectedPorts(stack).closed).not.toContain(4103);
    const { checks } = plan(stack, { hosts });
    expect(checks.find((c) => c.kind === "ports")?.probe).toMatchObject({ expected: { closed } });
  });

  it("Mangetamain: no proxy, so the dashboard's health and Streamlit's WebSocket on its own public port 8501, and 80/443 closed", async () => {
    const stack = await exampleStack("mangetamain", "production");
    const { checks, skipped } = plan(stack, { hosts });
    expect(lines(checks.filter((c) => c.kind !== "unit" && c.kind !== "ports"))).toEqual([
      "health http://203.0.113.10:8501/_stcore/health (dashboard)",
      "websocket ws://203.0.113.10:8501/_stcore/stream (dashboard)",
    ]);
    expect(expectedPorts(stack)).toMatchObject({ open: [8501], allowed: [{ port: 22, from: ["198.51.100.7/32"] }] });
    expect(expectedPorts(stack).closed).toEqual(expect.arrayContaining([80, 443]));
    expect(skipped.map((s) => s.detail)).toEqual(["the file serves plain HTTP (edge.tls)"]);
  });

  it("a health path no route exposes is checked on the vm hosts over SSH, else said skipped", () => {
    const text = `
name: shop
services:
  web: { run: node web.mjs, port: 3000, health: /health }
  admin: { run: node admin.mjs, port: 3100, health: /ready, replicas: 2 }
routes:
  - { path: /, to: web }
environments:
  mvp: { target: vm, domain: shop.example.org }
`;
    const withHosts = plan(stackFrom(text), { hosts });
    expect(withHosts.checks.find((c) => c.probe.kind === "remote")?.probe).toMatchObject({
      expected: {
        health: [
          { service: "admin", ports: [3100, 3102], path: "/ready" },
          { service: "admin", ports: [3101, 3103], path: "/ready" },
        ],
      },
    });
    const without = plan(stackFrom(text));
    expect(without.skipped.map((s) => `${s.kind} ${s.service} ${s.detail}`)).toContain("health admin not exposed by a route, and no hosts to check it on");
  });

  it("needs the hosts' vm plans to plan their units (the caller loads them only then)", async () => {
    const stack = await exampleStack("cityflow", "mvp");
    const found = whereOf(stack, { hosts });
    if ("error" in found) throw new Error(found.error);
    expect(() => planVerify(stack, found.where, { probeLimits: false })).toThrow("planVerify: hosts to ask, and no vmPlanOf");
  });

  it("a health path under a stripped prefix is reached with the prefix", () => {
    const { checks } = plan(
      stackFrom(`
name: shop
services:
  api: { run: node api.mjs, port: 3000, health: /health }
  www: { run: node www.mjs, port: 3001, health: /up }
routes:
  - { path: /api, to: api, strip: true }
  - { path: /, to: www }
environments:
  mvp: { target: vm, domain: shop.example.org }
`),
    );
    expect(lines(checks.filter((c) => c.kind === "health"))).toEqual([
      "health http://shop.example.org/api/health (api)",
      "health http://shop.example.org/up (www)",
    ]);
  });

  it("ForestGuard production: the rate limit is probed only when asked, within a bound", async () => {
    const stack = await exampleStack("forestguard", "production");
    expect(plan(stack).skipped.map((s) => `${s.kind} ${s.target}: ${s.detail}`)).toContain(
      "rate-limit 100/60 s: not probed: --probe-limits sends up to 120 requests",
    );
    const asked = plan(stack, { probeLimits: true }).checks.find((c) => c.kind === "rate-limit");
    expect(asked?.probe).toMatchObject({ kind: "rate-limit", limit: 100, maxRequests: 120, request: { host: "forestguard.example.org", path: "/" } });
    const huge = stackFrom(`
name: big
services: { web: { run: node web.mjs, port: 3000 } }
routes: [{ path: /, to: web }]
edge: { rate_limit: 5000/min }
environments: { prod: { target: vm, domain: big.example.org } }
`);
    expect(plan(huge, { probeLimits: true }).skipped.map((s) => s.detail)).toContain("the limit is above the probe's 1000 requests");
  });

  it("with --url, probes go to that address with the file's host names in Host and SNI", async () => {
    const { checks } = plan(await exampleStack("cityflow", "mvp"), { url: "https://192.0.2.5:8443" });
    const route = checks.find((c) => c.kind === "route")?.probe;
    expect(route).toMatchObject({ request: { entrance: { scheme: "https", connect: "192.0.2.5", port: 8443 }, host: "api.cityflow.example.org" } });
  });

  it("several hosts without a domain: each host is an entrance, named in the targets", () => {
    const stack = stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000, health: /health } }
routes: [{ path: /, to: web }]
environments: { mvp: { target: vm } }
`);
    const two = [...hosts, { source: "admin@203.0.113.11", user: "admin", host: "203.0.113.11", port: 22 }];
    expect(lines(plan(stack, { hosts: two }).checks.filter((c) => c.kind === "route"))).toEqual([
      "route http://203.0.113.10/ via 203.0.113.10 (web)",
      "route http://203.0.113.11/ via 203.0.113.11 (web)",
    ]);
  });

  it("says why there is nothing to probe, and what to give", async () => {
    const stack = stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 } }
environments: { mvp: { target: vm } }
`);
    expect(whereOf(stack, { hosts: [] })).toEqual({
      error: "the environment mvp has no public address to probe",
      hint: "Give one with --url https://<address>, or set `domain:` or `hosts:` on the environment.",
    });
    expect(whereOf(stack, { hosts: [], url: "not a url" })).toMatchObject({ error: "--url not a url is not a URL" });
    expect(whereOf(stack, { hosts: [], url: "ftp://203.0.113.10" })).toMatchObject({
      error: "--url ftp://203.0.113.10: only http and https addresses are probed",
    });
  });

  it("websockets: takes the path the service accepts them on; anything else than true, false or a path is an error", () => {
    const stack = stackFrom(`
name: shop
services: { live: { run: node live.mjs, port: 3000, websockets: /socket } }
`);
    expect(stack.services[0]).toMatchObject({ websockets: true, websocketPath: "/socket" });
    expect(codesOf("name: shop\nservices: { live: { run: node live.mjs, port: 3000, websockets: socket } }\n").length).toBeGreaterThan(0);
  });
});
