import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { stackFrom } from "../../test-support/index.js";
import { createGateway } from "./gateway.js";
import { request } from "./testing.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A replica with a health endpoint and a WebSocket echo that says which path it was reached on. */
async function echoServer(name: string) {
  const server = http.createServer((req, res) => res.end(`${name} ${req.url}`));
  const wss = new WebSocketServer({ server });
  wss.on("connection", (socket, req) => {
    socket.send(`hello from ${name} at ${req.url}`);
    socket.on("message", (data) => socket.send(`echo ${data.toString()}`));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return (server.address() as AddressInfo).port;
}

function converse(url: string, messages: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const heard: string[] = [];
    socket.on("message", (data) => {
      heard.push(data.toString());
      if (heard.length === 1) for (const m of messages) socket.send(m);
      if (heard.length === messages.length + 1) {
        socket.close();
        resolve(heard);
      }
    });
    socket.on("error", reject);
  });
}

const stack = stackFrom(`
name: dash
services:
  dashboard: { run: x, port: 8501, websockets: true, health: { path: /health, interval: 50ms, healthy: 1 } }
  lab: { run: x, port: 8502, websockets: true, health: { path: /health, interval: 50ms, healthy: 1 } }
  stripped: { run: x, port: 8503, websockets: true, health: { path: /health, interval: 50ms, healthy: 1 } }
  api: { run: x, port: 8504, health: { path: /health, interval: 50ms, healthy: 1 } }
routes:
  - { path: /, to: dashboard }
  - { path: /lab, to: lab }
  - { path: /raw, to: stripped, strip: true }
  - { path: /api, to: api }
`);

describe("WebSockets through the gateway", () => {
  it("echoes at the root, behind a path prefix kept, and behind a prefix stripped; refuses a service without websockets", async () => {
    const gateway = createGateway({ stack, port: 0 });
    const { port } = await gateway.start();
    cleanup.push(() => gateway.close());
    for (const name of ["dashboard", "lab", "stripped", "api"]) {
      gateway.setTargets(name, [{ id: `${name}-1`, host: "127.0.0.1", port: await echoServer(name) }]);
      await gateway.waitHealthy(name, `${name}-1`, 2_000);
    }
    expect(await converse(`ws://127.0.0.1:${port}/_stcore/stream`, ["a", "b"])).toEqual(["hello from dashboard at /_stcore/stream", "echo a", "echo b"]);
    expect(await converse(`ws://127.0.0.1:${port}/lab/_stcore/stream`, ["x"])).toEqual(["hello from lab at /lab/_stcore/stream", "echo x"]);
    expect(await converse(`ws://127.0.0.1:${port}/raw/socket?room=1`, ["y"])).toEqual(["hello from stripped at /socket?room=1", "echo y"]);
    const big = "z".repeat(200_000);
    expect((await converse(`ws://127.0.0.1:${port}/lab/ws`, [big]))[1]).toBe(`echo ${big}`);

    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/api/ws`);
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.on("error", () => resolve(-1));
    });
    expect(refused).toBe(426);
  });

  it("keeps an open WebSocket across a reload and closes it on close()", async () => {
    const gateway = createGateway({ stack, port: 0 });
    const { port } = await gateway.start();
    gateway.setTargets("dashboard", [{ id: "dashboard-1", host: "127.0.0.1", port: await echoServer("dashboard") }]);
    await gateway.waitHealthy("dashboard", "dashboard-1", 2_000);
    const socket = new WebSocket(`ws://127.0.0.1:${port}/stream`);
    const messages: string[] = [];
    socket.on("message", (d) => messages.push(d.toString()));
    await new Promise((r) => socket.once("open", r));
    gateway.reload(stackFrom(`name: dash\nservices:\n  dashboard: { run: x, port: 8501, websockets: true }\nroutes:\n  - { path: /new, to: dashboard }\n`));
    socket.send("after reload");
    await new Promise<void>((r) => {
      const check = () => (messages.includes("echo after reload") ? r() : setTimeout(check, 10));
      check();
    });
    expect((await request(port, "/stream")).status).toBe(404);
    const closed = new Promise((r) => socket.once("close", r));
    await gateway.close();
    await closed;
    expect(socket.readyState).toBe(WebSocket.CLOSED);
  });

  it("answers 503 to an upgrade when no replica is healthy", async () => {
    const gateway = createGateway({ stack, port: 0 });
    const { port } = await gateway.start();
    cleanup.push(() => gateway.close());
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/lab/ws`);
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.on("error", () => resolve(-1));
    });
    expect(status).toBe(503);
  });
});
