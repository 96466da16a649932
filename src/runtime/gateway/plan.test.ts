import { describe, expect, it } from "vitest";
import { TCP_HEALTH_CHECK } from "../../model/health.js";
import { stackFrom } from "../../test-support/index.js";
import { compileRoutes, forwardedUrl, hostName, matchRoute, planGateway, routeHosts, underPrefix } from "./plan.js";

const stack = stackFrom(`
name: shop
domain: shop.example.com
services:
  api: { run: node api.js, port: 8001, health: /health }
  users: { run: node users.js, port: 8002 }
  admin: { run: node admin.js, port: 8003, sticky: 1h, max_body: 1MB, timeout: 5s }
  dash: { run: node dash.js, port: 8501, websockets: true, base_path: { path: /dash, strip: true } }
  worker: { run: node worker.js }
resources:
  web: { type: static, dir: web/dist }
routes:
  - { path: /api, to: api }
  - { path: /api/users/, to: users, strip: true }
  - { host: "admin.{domain}", to: admin }
  - { path: /dash, to: dash }
  - { path: /, to: web }
edge: { port: 8000, rate_limit: 10/s, max_body: 2MB }
`);

describe("route table", () => {
  const table = compileRoutes(stack);
  const to = (host: string | undefined, url: string) => matchRoute(table, host, url)?.to ?? null;

  it("takes the longest matching prefix", () => {
    expect(to("x", "/api/users/42")).toBe("users");
    expect(to("x", "/api/users")).toBe("users");
    expect(to("x", "/api/orders")).toBe("api");
    expect(to("x", "/api")).toBe("api");
    expect(to("x", "/")).toBe("web");
  });

  it("matches prefixes on segment boundaries only", () => {
    expect(to("x", "/apiary")).toBe("web");
    expect(to("x", "/api?x=1")).toBe("api");
    expect(underPrefix("/api/usersx", "/api/users")).toBe(false);
    expect(underPrefix("/anything", "")).toBe(true);
  });

  it("routes by host first, with {domain} filled and a .localhost alias", () => {
    expect(to("admin.shop.example.com", "/api/x")).toBe("admin");
    expect(to("ADMIN.shop.example.com:8000", "/")).toBe("admin");
    expect(to("admin.localhost:8000", "/")).toBe("admin");
    expect(to("other.example.com", "/")).toBe("web");
    expect(to(undefined, "/api")).toBe("api");
    expect(routeHosts("api.{domain}", null)).toEqual(["api.localhost"]);
    expect(hostName("[::1]:8000")).toBe("[::1]");
  });

  it("strips the prefix when the route says so, keeping the query", () => {
    const users = matchRoute(table, undefined, "/api/users/42?x=1");
    if (!users) throw new Error("no route");
    expect(forwardedUrl(users, "/api/users/42?x=1")).toBe("/42?x=1");
    expect(forwardedUrl(users, "/api/users")).toBe("/");
    expect(forwardedUrl(users, "/api/users?x")).toBe("/?x");
    const api = matchRoute(table, undefined, "/api/x");
    if (!api) throw new Error("no route");
    expect(forwardedUrl(api, "/api/x")).toBe("/api/x");
  });

  it("lets a service's base_path decide the strip of its route", () => {
    const dash = matchRoute(table, undefined, "/dash/ws");
    expect(dash?.strip).toBe(true);
  });

  it("routes / to the only service with a port when the stack has no routes", () => {
    const single = stackFrom("name: one\nservices:\n  app: { run: node app.js, port: 3000 }\n  job-runner: { run: node j.js }\n");
    expect(matchRoute(compileRoutes(single), undefined, "/anything")?.to).toBe("app");
  });
});

describe("gateway plan", () => {
  const plan = planGateway(stack);

  it("plans every service with a port, with a TCP check when none is declared", () => {
    expect([...plan.services.keys()].sort()).toEqual(["admin", "api", "dash", "users"]);
    expect(plan.services.get("api")?.health.path).toBe("/health");
    expect(plan.services.get("users")?.health).toEqual(TCP_HEALTH_CHECK);
    expect(plan.services.get("users")?.declaredHealth).toBe(false);
  });

  it("carries stickiness, limits and timeouts", () => {
    const admin = plan.services.get("admin");
    expect(admin?.stickyMs).toBe(3_600_000);
    expect(admin?.cookie).toBe("cairn_admin");
    expect(admin?.maxBodyBytes).toBe(1_000_000);
    expect(admin?.timeoutMs).toBe(5_000);
    expect(plan.rateLimit).toEqual({ requests: 10, perMs: 1000, burst: 0 });
    expect(plan.maxBodyBytes).toBe(2_000_000);
  });

  it("serves static sites from their folder under the stack root", () => {
    expect(plan.statics.get("web")?.dir).toBe("/virtual/web/dist");
  });
});
