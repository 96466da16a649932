/**
 * The gateway at nginx's strictness, against a real gateway and a real upstream: a malformed sticky
 * cookie, a head that never ends, a head too large, Host headers twice or missing, bare LF.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import type { GuardReport } from "../http/guard.js";
import { sendRaw } from "../resources/testing/raw-http.js";
import { hostProblem } from "./admit.js";
import { createGateway } from "./gateway.js";
import { startUpstream, type Upstream } from "./testing.js";
import type { Gateway } from "./types.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const stack = stackFrom(`
name: strict
services:
  api: { run: node api.js, port: 8001, sticky: 1h, health: { path: /health, interval: 50ms, healthy: 1 } }
routes:
  - { path: /api, to: api }
edge: { port: 8000 }
`);

async function setUp(headTimeoutMs?: number): Promise<{ gateway: Gateway; port: number; api: Upstream; reports: GuardReport[] }> {
  const reports: GuardReport[] = [];
  const gateway = createGateway({ stack, port: 0, headTimeoutMs, onError: (r) => reports.push(r) });
  const { port } = await gateway.start();
  cleanup.push(() => gateway.close());
  const api = await startUpstream("api");
  cleanup.push(() => api.close());
  gateway.setTargets("api", [{ id: "api.1", host: "127.0.0.1", port: api.port }]);
  await gateway.waitHealthy("api", "api.1", 5_000);
  return { gateway, port, api, reports };
}

const get = (path: string, headers = "host: localhost\r\n") => `GET ${path} HTTP/1.1\r\n${headers}connection: close\r\n\r\n`;
const forwarded = (api: Upstream) => api.seen.filter((s) => s.url !== "/health");

/** Opens a connection, sends `first`, then one byte every `everyMs` until the server closes it. */
function dribble(port: number, first: string, everyMs: number): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, "127.0.0.1", () => socket.write(first));
    let text = "";
    const timer = setInterval(() => socket.writable && socket.write("x"), everyMs);
    const done = () => {
      clearInterval(timer);
      socket.destroy();
      resolve({ text, closedAfterMs: Date.now() - started });
    };
    socket.on("data", (d) => (text += d.toString("latin1")));
    socket.on("close", done);
    socket.on("error", done);
  });
}

describe("gateway: hostile requests answered as nginx would", () => {
  it("ignores a sticky cookie that is not valid percent-encoding, and lives", async () => {
    const { port, api, reports } = await setUp();
    for (const cookie of ["cairn_api=%", "cairn_api=%E0%A4%A", "a=1; cairn_api=%ZZ; b=2", "cairn_api="]) {
      const answer = await sendRaw(port, get("/api/x", `host: localhost\r\ncookie: ${cookie}\r\n`));
      expect(answer.status, cookie).toBe(200);
      // Not pinned by the broken cookie: the gateway pins the client again.
      expect(answer.text, cookie).toContain("set-cookie: cairn_api=api.1;");
    }
    expect(forwarded(api)).toHaveLength(4);
    expect(reports).toEqual([]);
  });

  it("answers 408 and closes a head that never ends (slowloris), on the lane and after a hand-over", async () => {
    const { port, api } = await setUp(400);
    const slow = await dribble(port, "GET /api/x HTTP/1.1\r\nhost: localhost\r\nx-slow: ", 50);
    expect(slow.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(slow.closedAfterMs).toBeLessThan(5_000);
    // A request with a body moves the connection to node:http; the next head there has the same deadline.
    const body = "POST /api/x HTTP/1.1\r\nhost: localhost\r\ncontent-length: 2\r\n\r\nhi";
    const after = await dribble(port, `${body}GET /api/y HTTP/1.1\r\nhost: localhost\r\nx-slow: `, 50);
    expect(after.text).toMatch(/^HTTP\/1\.1 200 [\s\S]*HTTP\/1\.1 408 /);
    expect(after.closedAfterMs).toBeLessThan(5_000);
    expect(forwarded(api).map((s) => s.url)).toEqual(["/api/x"]);
  });

  it("answers 431 to a 17 KB head without forwarding it, whole or in pieces", async () => {
    const { port, api } = await setUp();
    const big = get("/api/x", `host: localhost\r\nx-big: ${"a".repeat(17 * 1024)}\r\n`);
    expect((await sendRaw(port, big)).status).toBe(431);
    const pieces = await new Promise<string>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      let text = "";
      socket.on("data", (d) => (text += d.toString("latin1")));
      socket.on("close", () => resolve(text));
      for (let at = 0; at < big.length; at += 1000) socket.write(big.slice(at, at + 1000));
    });
    expect(pieces).toMatch(/^HTTP\/1\.1 431 /);
    expect(forwarded(api)).toEqual([]);
  });

  it("answers 400 to two Host headers and to HTTP/1.1 without one; HTTP/1.0 needs none", async () => {
    const { port, api } = await setUp();
    const twice = await sendRaw(port, get("/api/x", "host: localhost\r\nhost: evil.example\r\n"));
    expect(twice.status).toBe(400);
    expect(twice.text).toContain("more than one Host header");
    const none = await sendRaw(port, get("/api/x", ""));
    expect(none.status).toBe(400);
    expect(none.text).toContain("must have a Host header");
    // The same through node:http (a body hands the request over).
    const posted = await sendRaw(port, "POST /api/x HTTP/1.1\r\nhost: a\r\nhost: b\r\ncontent-length: 0\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n");
    expect(posted.status).toBe(400);
    expect((await sendRaw(port, "GET /api/x HTTP/1.0\r\n\r\n")).status).toBe(200);
    expect(forwarded(api)).toHaveLength(1);
  });

  it("answers 400 at once to bare-LF line endings, complete or not", async () => {
    const { port, api } = await setUp();
    for (const head of ["GET /api/x HTTP/1.1\nhost: localhost\n\n", "GET /api/x HTTP/1.1\nhost: localhost\n", "GET /api/x HTTP/1.1\r\nhost: localhost\n\r\n"]) {
      const started = Date.now();
      const answer = await sendRaw(port, head, 5_000);
      expect(answer.status, JSON.stringify(head)).toBe(400);
      expect(Date.now() - started).toBeLessThan(4_000);
    }
    expect(forwarded(api)).toEqual([]);
  });

  it("decides on Host headers alone (pure)", () => {
    expect(hostProblem(1, "1.1")).toBeNull();
    expect(hostProblem(0, "1.0")).toBeNull();
    expect(hostProblem(2, "1.0")).toMatch(/more than one/);
    expect(hostProblem(0, "1.1")).toMatch(/must have/);
  });
});
