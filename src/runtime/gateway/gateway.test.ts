import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { createGateway } from "./gateway.js";
import { request, startUpstream, type Upstream, until } from "./testing.js";
import type { Gateway } from "./types.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function stackWith(extra = "", edge = "edge: { port: 8000 }") {
  return stackFrom(`
name: shop
domain: shop.example.com
services:
  api: { run: node api.js, port: 8001, health: { path: /health, interval: 50ms, timeout: 1s, healthy: 1, unhealthy: 1 } }
  users: { run: node users.js, port: 8002, max_body: 1kB }
  slow: { run: node slow.js, port: 8003, timeout: 200ms }
  admin: { run: node admin.js, port: 8004, sticky: 1h, health: { path: /health, interval: 50ms, healthy: 1 } }
${extra}
routes:
  - { path: /api, to: api }
  - { path: /api/users, to: users, strip: true }
  - { path: /slow, to: slow }
  - { host: "admin.{domain}", to: admin }
${edge}
`);
}

async function gatewayFor(stack = stackWith(), accessLog?: string): Promise<{ gateway: Gateway; port: number }> {
  const gateway = createGateway({ stack, port: 0, accessLog });
  const { port } = await gateway.start();
  cleanup.push(() => gateway.close());
  return { gateway, port };
}

async function upstream(name: string, handler?: Parameters<typeof startUpstream>[1]): Promise<Upstream> {
  const server = await startUpstream(name, handler);
  cleanup.push(() => server.close());
  return server;
}

describe("gateway: routing and headers", () => {
  it("routes by longest prefix, strips when asked, and sets X-Forwarded-* and X-Request-Id", async () => {
    const { gateway, port } = await gatewayFor();
    const api = await upstream("api");
    const users = await upstream("users");
    gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port: api.port }]);
    gateway.setTargets("users", [{ id: "users-1", host: "127.0.0.1", port: users.port }]);
    await gateway.waitHealthy("api", "api-1", 2_000);
    await gateway.waitHealthy("users", "users-1", 2_000);

    const a = await request(port, "/api/orders?x=1", { headers: { "x-forwarded-for": "10.0.0.9" } });
    expect(a.status).toBe(200);
    expect(a.body).toBe("api /api/orders?x=1");
    const seenByApi = api.seen.find((s) => s.url === "/api/orders?x=1");
    expect(seenByApi?.headers["x-forwarded-for"]).toBe("10.0.0.9, 127.0.0.1");
    expect(seenByApi?.headers["x-forwarded-proto"]).toBe("http");
    expect(seenByApi?.headers["x-forwarded-host"]).toBe(`127.0.0.1:${port}`);
    expect(seenByApi?.headers["x-request-id"]).toBe(a.headers["x-request-id"]);
    expect(seenByApi?.headers["x-forwarded-prefix"]).toBeUndefined();

    const u = await request(port, "/api/users/42", { headers: { "x-request-id": "abc-123" } });
    expect(u.body).toBe("users /42");
    expect(u.headers["x-request-id"]).toBe("abc-123");
    const seenByUsers = users.seen.find((s) => s.url === "/42");
    expect(seenByUsers?.headers["x-forwarded-prefix"]).toBe("/api/users");
    expect(seenByUsers?.headers["x-request-id"]).toBe("abc-123");
  });

  it("answers 404 for a path no route takes, naming the path", async () => {
    const { port } = await gatewayFor();
    const r = await request(port, "/nothing", { headers: { accept: "application/json" } });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toMatchObject({ status: 404, reason: "no route for 127.0.0.1:" + port + "/nothing" });
  });
});

describe("gateway: 502, 503 and 504 say which service and why", () => {
  it("503 names the service and the last health error, in JSON, HTML or text", async () => {
    const { gateway, port } = await gatewayFor();
    const sick = await upstream("api", (_req, res) => {
      res.writeHead(500);
      res.end();
    });
    gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port: sick.port }]);
    await until(() => typeof gateway.status().find((s) => s.service === "api")?.targets[0]?.lastError === "string", 2_000, "a failed check");
    const json = await request(port, "/api", { headers: { accept: "application/json" } });
    expect(json.status).toBe(503);
    expect(json.headers["content-type"]).toContain("application/json");
    const problem = JSON.parse(json.body);
    expect(problem.service).toBe("api");
    expect(problem.reason).toContain("api-1: GET /health answered 500");
    const html = await request(port, "/api", { headers: { accept: "text/html" } });
    expect(html.headers["content-type"]).toContain("text/html");
    expect(html.body).toContain("Service &#34;api&#34;");
    const text = await request(port, "/api");
    expect(text.body).toMatch(/^Service unavailable: service "api": no healthy replica \(0 of 1\): api-1: GET \/health answered 500/);
  });

  it("503 says when no replica is running", async () => {
    const { port } = await gatewayFor();
    const r = await request(port, "/api", { headers: { accept: "application/json" } });
    expect(JSON.parse(r.body)).toMatchObject({ status: 503, service: "api", reason: "no replica is running" });
  });

  it("502 names the service and the refused connection", async () => {
    const { gateway, port } = await gatewayFor();
    const users = await upstream("users");
    gateway.setTargets("users", [{ id: "users-1", host: "127.0.0.1", port: users.port }]);
    await gateway.waitHealthy("users", "users-1", 2_000);
    await users.close();
    const r = await request(port, "/api/users/1", { headers: { accept: "application/json" } });
    expect(r.status).toBe(502);
    expect(JSON.parse(r.body)).toMatchObject({ service: "users", reason: `connection refused (127.0.0.1:${users.port}) from replica users-1` });
  });

  it("504 when the replica does not answer within the service's timeout", async () => {
    const { gateway, port } = await gatewayFor();
    const slow = await upstream("slow", () => {
      /* never answers */
    });
    gateway.setTargets("slow", [{ id: "slow-1", host: "127.0.0.1", port: slow.port }]);
    await gateway.waitHealthy("slow", "slow-1", 2_000);
    const r = await request(port, "/slow");
    expect(r.status).toBe(504);
    expect(r.body).toContain('service "slow": slow-1');
    expect(r.body).toContain("did not answer within 200 ms");
  });
});

describe("gateway: limits", () => {
  it("413 for a declared body over the service's limit, and for a streamed one", async () => {
    const { gateway, port } = await gatewayFor();
    const users = await upstream("users");
    gateway.setTargets("users", [{ id: "users-1", host: "127.0.0.1", port: users.port }]);
    await gateway.waitHealthy("users", "users-1", 2_000);
    const ok = await request(port, "/api/users/up", { method: "POST", body: "x".repeat(1000) });
    expect(ok.status).toBe(200);
    const big = await request(port, "/api/users/up", { method: "POST", body: "x".repeat(1001) });
    expect(big.status).toBe(413);
    expect(big.body).toContain('service "users"');
    const streamed = await request(port, "/api/users/up", { method: "POST", headers: { "transfer-encoding": "chunked" }, body: "y".repeat(5000) });
    expect(streamed.status).toBe(413);
  });

  it("rate limit lets exactly N through per window, then 429 with Retry-After", async () => {
    const { gateway, port } = await gatewayFor(stackWith("", "edge: { port: 8000, rate_limit: 20/min }"));
    const api = await upstream("api");
    gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port: api.port }]);
    await gateway.waitHealthy("api", "api-1", 2_000);
    const replies = [];
    for (let i = 0; i < 30; i++) replies.push(await request(port, "/api/x"));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(20);
    const refused = replies.filter((r) => r.status === 429);
    expect(refused).toHaveLength(10);
    expect(Number(refused[0]?.headers["retry-after"])).toBeGreaterThan(50);
  });
});

describe("gateway: bodies", () => {
  it("streams request and response bodies both ways (chunked and sized), HEAD without a body", async () => {
    const { gateway, port } = await gatewayFor(
      stackFrom("name: f\nservices:\n  files: { run: x, port: 8005, max_body: 20MB, health: { path: /h, interval: 50ms, healthy: 1 } }\n"),
    );
    const big = Buffer.alloc(5_000_000, "b");
    const files = await upstream("files", (req, res) => {
      if (req.method === "GET") {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        for (let i = 0; i < 50; i++) res.write(big.subarray(i * 100_000, (i + 1) * 100_000));
        res.end();
        return;
      }
      if (req.method === "HEAD") {
        res.writeHead(200, { "content-length": "123" });
        res.end();
        return;
      }
      let size = 0;
      req.on("data", (c: Buffer) => (size += c.length));
      req.on("end", () => res.end(`${req.method} ${req.headers["transfer-encoding"] ?? req.headers["content-length"]} ${size}`));
    });
    gateway.setTargets("files", [{ id: "files-1", host: "127.0.0.1", port: files.port }]);
    await gateway.waitHealthy("files", "files-1", 2_000);
    const down = await request(port, "/files/big");
    expect(down.body.length).toBe(5_000_000);
    const sized = await request(port, "/files/up", { method: "PUT", body: Buffer.alloc(3_000_000, "u") });
    expect(sized.body).toBe("PUT 3000000 3000000");
    const chunked = await request(port, "/files/up", { method: "POST", headers: { "transfer-encoding": "chunked" }, body: "x".repeat(70_000) });
    expect(chunked.body).toBe("POST chunked 70000");
    const head = await request(port, "/files/x", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe("123");
    expect(head.body).toBe("");
  });

  it("cancels the upstream request when the client goes away", async () => {
    const { gateway, port } = await gatewayFor();
    let closed = false;
    const slow = await upstream("slow", (req) => req.socket.once("close", () => (closed = true)));
    gateway.setTargets("slow", [{ id: "slow-1", host: "127.0.0.1", port: slow.port }]);
    await gateway.waitHealthy("slow", "slow-1", 2_000);
    const http = await import("node:http");
    const req = http.request({ host: "127.0.0.1", port, path: "/slow", agent: false });
    req.on("error", () => undefined);
    req.end();
    await until(() => slow.seen.some((s) => s.url === "/slow"), 2_000, "the request upstream");
    req.destroy();
    await until(() => closed, 2_000, "the upstream request closed");
    await until(() => gateway.status().find((s) => s.service === "slow")?.targets[0]?.active === 0, 2_000, "no request in flight");
  });
});

describe("gateway: sticky sessions", () => {
  it("keeps a client on one replica across 100 requests, and spreads new clients", async () => {
    const { gateway, port } = await gatewayFor();
    const replicas = await Promise.all(["a", "b", "c"].map((n) => upstream(`admin-${n}`)));
    gateway.setTargets(
      "admin",
      replicas.map((r, i) => ({ id: `admin-${i + 1}`, host: "127.0.0.1", port: r.port })),
    );
    for (let i = 1; i <= 3; i++) await gateway.waitHealthy("admin", `admin-${i}`, 2_000);
    const host = { host: "admin.shop.example.com" };
    const first = await request(port, "/", { headers: host });
    const cookie = String(first.headers["set-cookie"]).split(";")[0] as string;
    expect(String(first.headers["set-cookie"])).toMatch(/^cairn_admin=admin-\d; Max-Age=3600; Path=\/; HttpOnly/);
    const who = first.body.split(" ")[0];
    const bodies = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const r = await request(port, `/${i}`, { headers: { ...host, cookie } });
      bodies.add(r.body.split(" ")[0] as string);
      expect(r.headers["set-cookie"]).toBeUndefined();
    }
    expect([...bodies]).toEqual([who]);
    const fresh = new Set<string>();
    for (let i = 0; i < 6; i++) fresh.add((await request(port, "/", { headers: host })).body.split(" ")[0] as string);
    expect(fresh.size).toBe(3);
  });
});

describe("gateway: access log and static sites", () => {
  it("writes one JSON line per request with method, path, status, duration, service, target and id", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-gw-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "access.log");
    const { gateway, port } = await gatewayFor(stackWith(), file);
    const api = await upstream("api");
    gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port: api.port }]);
    await gateway.waitHealthy("api", "api-1", 2_000);
    await request(port, '/api/a"b', { headers: { "x-request-id": "rid-1" } });
    await request(port, "/none");
    await gateway.close();
    const lines = fs
      .readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ id: "rid-1", method: "GET", path: '/api/a"b', status: 200, service: "api", target: "api-1", client: "127.0.0.1" });
    expect(typeof lines[0].duration).toBe("number");
    expect(lines[1]).toMatchObject({ method: "GET", path: "/none", status: 404, service: null, target: null });
    expect(lines[1].error).toContain("no route");
  });

  it("serves a static site with single-page-app fallback and no escape from its folder", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-static-"));
    cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
    fs.mkdirSync(path.join(root, "dist/assets"), { recursive: true });
    fs.writeFileSync(path.join(root, "dist/index.html"), "<h1>app</h1>");
    fs.writeFileSync(path.join(root, "dist/assets/app.js"), "console.log(1)");
    fs.writeFileSync(path.join(root, "secret.txt"), "no");
    const stack = { ...stackFrom("name: s\nresources:\n  web: { type: static, dir: dist }\nroutes:\n  - { path: /, to: web }\n"), root };
    const { port } = await gatewayFor(stack);
    const js = await request(port, "/assets/app.js");
    expect(js.headers["content-type"]).toContain("text/javascript");
    expect(js.body).toBe("console.log(1)");
    expect((await request(port, "/")).body).toBe("<h1>app</h1>");
    expect((await request(port, "/orders/42")).body).toBe("<h1>app</h1>");
    expect((await request(port, "/missing.png")).status).toBe(404);
    // Above the root: refused before routing, as nginx refuses it.
    expect((await request(port, "/../secret.txt")).status).toBe(400);
    expect((await request(port, "/%2e%2e/secret.txt")).status).toBe(400);
    expect((await request(port, "/assets/%2e%2e/%2e%2e/secret.txt")).status).toBe(400);
    // A link in the folder that leads out of it serves nothing; one that stays inside serves its file.
    fs.symlinkSync(path.join(root, "secret.txt"), path.join(root, "dist/leak.txt"));
    fs.symlinkSync(path.join(root, "dist/assets"), path.join(root, "dist/static"));
    expect((await request(port, "/leak.txt")).status).toBe(404);
    expect((await request(port, "/static/app.js")).body).toBe("console.log(1)");
  });
});
