/**
 * One health check of one replica: an HTTP GET whose status must fall in the range, or a TCP connect.
 * The supervisor and the gateway both run it, so a reason reads the same in `cairn ps`, the logs and a
 * 503 page.
 */
import http from "node:http";
import net from "node:net";
import type { HealthCheck } from "../../model/types.js";

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** Says why a connection failed, in words a user reads in `cairn ps` and in a 503 page. */
export function describeError(error: unknown, endpoint: Endpoint): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const at = `${endpoint.host}:${endpoint.port}`;
  switch (code) {
    case "ECONNREFUSED":
      return `connection refused (${at})`;
    case "ECONNRESET":
      return `connection reset (${at})`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `host unreachable (${at})`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `unknown host ${endpoint.host}`;
    default:
      return `${(error as Error | null)?.message ?? String(error)} (${at})`;
  }
}

/** Runs the check; resolves null when it passes, else the reason it failed. Never rejects. */
export function probe(endpoint: Endpoint, check: HealthCheck): Promise<string | null> {
  return check.path === null ? probeTcp(endpoint, check.timeoutMs) : probeHttp(endpoint, check);
}

function probeTcp(endpoint: Endpoint, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port });
    const done = (result: string | null) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(`no TCP connection within ${timeoutMs} ms (${endpoint.host}:${endpoint.port})`));
    socket.once("connect", () => done(null));
    socket.once("error", (error) => done(describeError(error, endpoint)));
  });
}

function probeHttp(endpoint: Endpoint, check: HealthCheck): Promise<string | null> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const request = http.get(
      { host: endpoint.host, port: endpoint.port, path: check.path, agent: false, headers: { "user-agent": "cairn-health/1" } },
      (response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        const [low, high] = check.status;
        done(status >= low && status <= high ? null : `GET ${check.path} answered ${status} (expected ${low}-${high})`);
      },
    );
    const timer = setTimeout(() => done(`GET ${check.path}: no answer within ${check.timeoutMs} ms`), check.timeoutMs);
    request.once("error", (error) => done(describeError(error, endpoint)));
  });
}
