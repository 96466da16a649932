/**
 * Health checks with the semantics of an AWS target group: a replica becomes healthy after
 * `healthy` consecutive successful checks and unhealthy after `unhealthy` consecutive failures,
 * no more and no fewer. The state machine is pure; `probe` performs one check.
 */
import { request } from "node:http";
import { connect } from "node:net";
import type { HealthCheck } from "../../model/types.js";

export type HealthStatus = "starting" | "healthy" | "unhealthy";

export interface HealthState {
  readonly status: HealthStatus;
  readonly successes: number;
  readonly failures: number;
  /** Checks observed so far. */
  readonly checks: number;
  readonly lastError: string | null;
}

export const initialHealth: HealthState = { status: "starting", successes: 0, failures: 0, checks: 0, lastError: null };

/** The state after one check; failures inside the grace period are not counted. */
export function observe(
  state: HealthState,
  ok: boolean,
  check: Pick<HealthCheck, "healthy" | "unhealthy">,
  error: string | null,
  inGrace = false,
): HealthState {
  const checks = state.checks + 1;
  if (ok) {
    const successes = state.successes + 1;
    const status = state.status !== "healthy" && successes >= check.healthy ? "healthy" : state.status;
    return { status, successes: status === state.status ? successes : 0, failures: 0, checks, lastError: null };
  }
  if (inGrace) return { ...state, checks, successes: 0, lastError: error };
  const failures = state.failures + 1;
  const status = state.status !== "unhealthy" && failures >= check.unhealthy ? "unhealthy" : state.status;
  return { status, successes: 0, failures: status === state.status ? failures : 0, checks, lastError: error };
}

/** The check used for a service with a port but no `health`: a TCP connect every second. */
export const tcpCheck: HealthCheck = { path: null, intervalMs: 1000, timeoutMs: 1000, healthy: 1, unhealthy: 3, graceMs: 0, status: [200, 399] };

/** One check against host:port; resolves to null when healthy, else the reason. */
export function probe(check: HealthCheck, host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const path = check.path;
    if (path === null) {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(`no TCP connection within ${check.timeoutMs} ms`);
      }, check.timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.destroy();
        resolve(null);
      });
      socket.once("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve(error.code === "ECONNREFUSED" ? `connection refused on port ${port}` : error.message);
      });
      return;
    }
    const req = request({ host, port, path, method: "GET", agent: false, timeout: check.timeoutMs, headers: { "user-agent": "cairn-health" } }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= check.status[0] && code <= check.status[1] ? null : `GET ${path} answered ${code}`);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${path} took more than ${check.timeoutMs} ms`)));
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED" ? `connection refused on port ${port}` : error.message));
    req.end();
  });
}
