/** Helpers for the gateway's tests: real upstream servers on free ports and a small HTTP client. */

import http from "node:http";
import type { AddressInfo } from "node:net";
import { waitFor } from "../../test-support/wait.js";

export interface Upstream {
  readonly port: number;
  readonly server: http.Server;
  /** Requests seen, by path. */
  readonly seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** An in-process HTTP server on a free port; by default it answers 200 with `name path`. */
export async function startUpstream(name: string, handler?: Handler): Promise<Upstream> {
  const seen: Upstream["seen"] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    if (handler) return handler(req, res);
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`${name} ${req.url}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One request; `agent` lets a caller keep connections alive across requests. */
export function request(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: http.Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method: init.method ?? "GET", headers: init.headers, agent: init.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/** Resolves when `condition` holds; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5_000, what = "condition"): Promise<void> {
  await waitFor(condition, timeoutMs, what);
}

/** A replica in its own process (fixtures/replica.mjs); resolves once it listens. */
export async function spawnReplica(name: string, delayMs = 0): Promise<{ port: number; child: import("node:child_process").ChildProcess }> {
  const { spawn } = await import("node:child_process");
  const script = new URL("./fixtures/replica.mjs", import.meta.url);
  const child = spawn(process.execPath, [script.pathname, name, String(delayMs)], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`replica ${name} exited with ${code}`)));
    child.stdout?.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  return { port, child };
}

export interface LoadResult {
  ok: number;
  failed: { status: number; body: string }[];
  byBody: Map<string, number>;
}

/**
 * Sends GETs from `concurrency` keep-alive clients until `stop()`, at most `maxRequests` of them and
 * for at most `maxMs`; `served(n)` resolves once `n` more have answered 200 since it was called.
 */
export function load(
  port: number,
  path: string,
  concurrency: number,
  {
    maxRequests = 200_000,
    maxMs = 60_000,
    key = (body) => body.split(" ")[0] as string,
  }: { maxRequests?: number; maxMs?: number; key?: (body: string) => string } = {},
): { stop(): Promise<LoadResult>; served(n: number): Promise<void>; readonly result: LoadResult } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const result: LoadResult = { ok: 0, failed: [], byBody: new Map() };
  const deadline = Date.now() + maxMs;
  let sent = 0;
  let running = true;
  const workers = Array.from({ length: concurrency }, async () => {
    while (running && sent < maxRequests && Date.now() < deadline) {
      sent++;
      try {
        const reply = await request(port, path, { agent });
        if (reply.status === 200) {
          result.ok++;
          const who = key(reply.body);
          result.byBody.set(who, (result.byBody.get(who) ?? 0) + 1);
        } else result.failed.push({ status: reply.status, body: reply.body });
      } catch (error) {
        result.failed.push({ status: 0, body: String(error) });
      }
    }
  });
  return {
    result,
    async served(n) {
      const from = result.ok;
      await waitFor(() => result.ok >= from + n, maxMs, `${n} answered requests`);
    },
    async stop() {
      running = false;
      await Promise.all(workers);
      agent.destroy();
      return result;
    },
  };
}
