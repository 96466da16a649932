/**
 * The vm target end to end without a VM: the generated nginx site run by real nginx (in a private
 * prefix, on free ports) in front of small HTTP and WebSocket servers on the upstream ports the
 * generated units would use. Host and path routing, prefix stripping, sticky replicas, a WebSocket
 * upgrade and the rate limit are checked through it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { type AddressInfo, createConnection, createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { stackFrom } from "../../test-support/index.js";
import { waitFor } from "../../test-support/wait.js";
import { mainConfig, relocateSite } from "../common/test-tools.js";
import { vmTarget } from "./index.js";
import { planLayout } from "./layout.js";

/** A free TCP port whose next `count - 1` ports are free too. */
async function freePorts(count: number): Promise<number> {
  for (;;) {
    const base = await new Promise<number>((resolve) => {
      const s = createTcpServer().listen(0, "127.0.0.1", () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    if (base + count >= 65535) continue;
    const ok = await Promise.all(
      Array.from(
        { length: count },
        (_, i) =>
          new Promise<boolean>((resolve) => {
            const s = createTcpServer()
              .once("error", () => resolve(false))
              .listen(base + i, "127.0.0.1", () => s.close(() => resolve(true)));
          }),
      ),
    );
    if (ok.every(Boolean)) return base;
  }
}

async function waitForPort(port: number): Promise<void> {
  const open = () =>
    new Promise<boolean>((resolve) => {
      const socket = createConnection(port, "127.0.0.1")
        .once("connect", () => {
          socket.destroy();
          resolve(true);
        })
        .once("error", () => resolve(false));
    });
  await waitFor(open, 5_000, `something to listen on ${port}`);
}

const servers: Server[] = [];
let nginx: ChildProcess | null = null;
let edge = 0;
let ports: { api: readonly number[]; app: readonly number[]; live: readonly number[] };

/** An upstream that answers with its name, port and the path it saw. */
function upstream(name: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ name, port, path: req.url }));
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  const base = await freePorts(8);
  edge = base;
  const yaml = `
name: shop
domain: shop.test
services:
  api: { run: node api.mjs, port: ${base + 1}, health: /health }
  app: { run: node app.mjs, port: ${base + 2}, replicas: 2, sticky: 1h, health: /health }
  live: { run: node live.mjs, port: ${base + 4}, websockets: true }
routes:
  - { host: "api.{domain}", to: api }
  - { path: /admin, to: api, strip: true }
  - { path: /live, to: live }
  - { path: /, to: app }
edge: { port: ${edge}, rate_limit: 20/min }
environments:
  prod: { target: vm }
`;
  const stack = stackFrom(yaml);
  const layout = planLayout(stack);
  ports = { api: layout.replicaPorts.get("api") ?? [], app: layout.replicaPorts.get("app") ?? [], live: layout.replicaPorts.get("live") ?? [] };
  for (const [name, list] of Object.entries(ports)) {
    if (name === "live") continue;
    for (const port of list) servers.push(await upstream(name, port));
  }
  const live = await upstream("live", ports.live[0] as number);
  const wss = new WebSocketServer({ server: live });
  wss.on("connection", (socket) => socket.on("message", (data) => socket.send(`echo:${data}`)));
  servers.push(live);
  const site = vmTarget.generate(stack, {}).files.find((f) => f.path === "nginx/shop.conf")?.content ?? "";
  const prefix = mkdtempSync(join(tmpdir(), "cairn-e2e-nginx-"));
  const conf = mainConfig(prefix, relocateSite(site, prefix));
  nginx = spawn("nginx", ["-c", conf, "-p", prefix], { stdio: ["ignore", "ignore", "inherit"] });
  await waitForPort(edge);
});

afterAll(async () => {
  nginx?.kill("SIGTERM");
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** A GET through nginx (node:http, since fetch does not let a test set the Host header). */
function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { name: string; port: number; path: string }; cookie: string | null }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: edge, path, headers }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => {
        const cookie = res.headers["set-cookie"]?.[0] ?? null;
        resolve({ status: res.statusCode ?? 0, body: res.statusCode === 200 ? JSON.parse(text) : null, cookie });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("vm nginx end to end", () => {
  it("routes by host and by path, stripping the prefix where asked", async () => {
    expect((await get("/anything", { host: "api.shop.test" })).body).toMatchObject({ name: "api", path: "/anything" });
    expect((await get("/admin/users")).body).toMatchObject({ name: "api", path: "/users" });
    expect((await get("/page")).body).toMatchObject({ name: "app", path: "/page" });
  });

  it("keeps a client on one replica with the cookie nginx sets", async () => {
    const first = await get("/");
    const cookie = (first.cookie ?? "").split(";")[0] as string;
    expect(cookie).toMatch(/^cairn_shop_app=.+/);
    const again = await Promise.all([1, 2, 3].map(() => get("/", { cookie })));
    for (const r of again) expect(r.body.port).toBe(first.body.port);
    expect(ports.app).toContain(first.body.port);
  });

  it("passes a WebSocket upgrade through", async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${edge}/live/socket`);
    const reply = await new Promise<string>((resolve, reject) => {
      socket.once("open", () => socket.send("ping"));
      socket.once("message", (data) => resolve(String(data)));
      socket.once("error", reject);
    });
    socket.close();
    expect(reply).toBe("echo:ping");
  });

  it("answers 429 past the rate limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await get("/page")).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20);
  });
});
