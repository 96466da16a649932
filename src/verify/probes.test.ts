/**
 * Each probe's failures, caused for real on 127.0.0.1: nothing listening, a server that accepts and
 * never answers, an answer that is not a redirect or not an upgrade, a server with no rate limit,
 * ssh missing or stuck before its banner. A fake stands only where a real server cannot be made to
 * misbehave (a WebSocket answer with the wrong key).
 */

import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../runtime/ports.js";
import { type RunOptions, runCheck } from "./run.js";
import { sshRunner } from "./ssh.js";
import { startApp } from "./test-support/servers.js";
import type { Entrance, PlannedCheck, Probe } from "./types.js";

let app: Awaited<ReturnType<typeof startApp>>;
let silent: TcpServer;
let silentPort: number;
let wrongKey: TcpServer;
let wrongKeyPort: number;

const listen = async (server: TcpServer) => {
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  app = await startApp("127.0.0.1");
  // Accepts connections and never says a word.
  silent = createTcpServer(() => {});
  silentPort = await listen(silent);
  // Answers every upgrade with 101 but a key of its own.
  wrongKey = createTcpServer((socket) => {
    socket.once("data", () =>
      socket.end("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n"),
    );
  });
  wrongKeyPort = await listen(wrongKey);
});

afterAll(async () => {
  await app.close();
  silent.close();
  wrongKey.close();
});

const options: RunOptions = {
  timeoutMs: 500,
  portTimeoutMs: 300,
  now: () => new Date(),
  remote: async () => ({ code: 0, stdout: "", stderr: "" }),
};
const at = (port: number, scheme: "http" | "https" = "http"): Entrance => ({ scheme, connect: "127.0.0.1", port, label: null });
const check = (probe: Probe): PlannedCheck => ({
  kind: probe.kind === "http" ? "route" : probe.kind === "remote" ? "unit" : probe.kind,
  target: "t",
  service: null,
  probe,
});
const detail = async (probe: Probe) => {
  const [result] = await runCheck(check(probe), options);
  return `${result?.status} ${result?.detail}`;
};

describe("probe failures", () => {
  it("nothing listening: connection refused, for HTTP and TLS alike", async () => {
    const closed = await freePort();
    expect(await detail({ kind: "http", request: { entrance: at(closed), host: "shop.test", path: "/" }, expect: "any" })).toBe("fail connection refused");
    expect(await detail({ kind: "tls", request: { entrance: at(closed, "https"), host: "shop.test", path: "/" }, warnDays: 20 })).toBe(
      "fail connection refused",
    );
  });

  it("a server that never answers: the request and the handshake give up after their timeout", async () => {
    expect(await detail({ kind: "http", request: { entrance: at(silentPort), host: "shop.test", path: "/" }, expect: "any" })).toBe(
      "fail no answer within 500 ms",
    );
    expect(await detail({ kind: "tls", request: { entrance: at(silentPort, "https"), host: "shop.test", path: "/" }, warnDays: 20 })).toBe(
      "fail no TLS handshake within 500 ms",
    );
  });

  it("a health status out of range, a path Node will not send", async () => {
    expect(await detail({ kind: "http", request: { entrance: at(app.port), host: "shop.test", path: "/health" }, expect: [204, 204] })).toMatch(
      /^fail 200 in \d+ ms, expected 204-204$/,
    );
    expect(await detail({ kind: "http", request: { entrance: at(app.port), host: "shop.test", path: "/a b" }, expect: "any" })).toMatch(
      /^fail ERR_UNESCAPED_CHARACTERS/,
    );
  });

  it("an answer that is no redirect, an upgrade refused, and a 101 with the wrong key", async () => {
    expect(await detail({ kind: "redirect", request: { entrance: at(app.port), host: "shop.test", path: "/" }, to: "https://shop.test/" })).toBe(
      "fail 200, no redirect (expected a redirect to https://shop.test/)",
    );
    expect(await detail({ kind: "websocket", request: { entrance: at(app.port), host: "shop.test", path: "/elsewhere" } })).toBe("fail connection reset");
    expect(await detail({ kind: "websocket", request: { entrance: at(app.port), host: "shop.test", path: "/live" } })).toMatch(/^pass 101 upgraded/);
    expect(await detail({ kind: "websocket", request: { entrance: at(wrongKeyPort), host: "shop.test", path: "/live" } })).toBe(
      "fail 101 with a wrong Sec-WebSocket-Accept",
    );
  });

  it("no 429 from a server without a rate limit, within the bound", async () => {
    expect(await detail({ kind: "rate-limit", request: { entrance: at(app.port), host: "shop.test", path: "/" }, limit: 10, maxRequests: 30 })).toBe(
      "fail no 429 after 30 requests (limit 10)",
    );
  });

  it("ports: a closed port is closed, a listening one open", async () => {
    const closed = await freePort();
    const [result] = await runCheck(check({ kind: "ports", address: "127.0.0.1", expected: { open: [app.port], allowed: [], closed: [closed] } }), options);
    expect([result?.status, result?.detail]).toEqual(["pass", `open ${app.port}; 1 others closed`]);
  });
});

describe("the ssh seam", () => {
  it("says ssh is missing when it is not on the PATH", async () => {
    const empty = mkdtempSync(join(tmpdir(), "cairn-no-ssh-"));
    const path = process.env.PATH;
    process.env.PATH = empty;
    try {
      const result = await sshRunner()({ source: "root@127.0.0.1", user: "root", host: "127.0.0.1", port: 22 }, "true\n");
      expect(result).toEqual({ code: null, stdout: "", stderr: "ssh is not installed" });
    } finally {
      process.env.PATH = path;
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("gives up on a host that accepts the connection and never speaks, after twice its timeout", async () => {
    const started = Date.now();
    const result = await sshRunner({ timeoutMs: 500, knownHostsFile: "/dev/null" })(
      { source: "root@127.0.0.1", user: "root", host: "127.0.0.1", port: silentPort },
      "true\n",
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("ssh: no answer within 1000 ms");
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
