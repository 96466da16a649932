/**
 * The check that ends a deploy, through the hosts' public addresses: each route answers (no 5xx)
 * and each service public on its own port passes its health path. This is the seam where
 * `cairn verify` takes over: `verifyDeployment(plan, hosts, ...)` keeps its signature.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { DeployHost } from "../model/types.js";
import { routesByHost } from "../targets/common/edge.js";
import { proxyPorts } from "../targets/common/nginx.js";
import type { VmPlan } from "../targets/vm/plan.js";

export interface VerifyCheck {
  readonly host: string;
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly checks: readonly VerifyCheck[];
  readonly ms: number;
}

/** One GET, one attempt: the status, or the error's words. */
export function probe(url: string, hostHeader: string | null, timeoutMs: number): Promise<{ status: number | null; error: string | null }> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const request = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = request(
      url,
      { method: "GET", timeout: timeoutMs, headers: hostHeader ? { host: hostHeader } : {}, rejectUnauthorized: false, servername: hostHeader ?? undefined },
      (res) => {
        res.resume();
        res.once("end", () => resolve({ status: res.statusCode ?? null, error: null }));
      },
    );
    req.once("timeout", () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.once("error", (error) => resolve({ status: null, error: error.message }));
    req.end();
  });
}

function address(host: DeployHost): string {
  return host.host.includes(":") ? `[${host.host}]` : host.host;
}

/** Checks of one host: each route through the edge, each directly public service's health path. */
export async function verifyDeployment(
  plan: VmPlan,
  hosts: readonly DeployHost[],
  options: { progress?: (line: string) => void; timeoutMs?: number } = {},
): Promise<VerifyReport> {
  const started = Date.now();
  const timeout = options.timeoutMs ?? 5000;
  const { stack } = plan;
  const checks: VerifyCheck[] = [];
  const jobs: Promise<unknown>[] = [];
  for (const host of hosts) {
    if (plan.nginx !== null) {
      const { main } = proxyPorts(stack);
      const scheme = plan.tls.kind === "none" ? "http" : "https";
      for (const group of routesByHost(stack)) {
        for (const route of group.routes) {
          const path = route.path.endsWith("/") ? route.path : `${route.path}${route.path === "/" ? "" : "/"}`;
          const url = `${scheme}://${address(host)}:${main}${path}`;
          jobs.push(
            probe(url, group.host, timeout).then((r) =>
              checks.push({
                host: host.source,
                name: `route ${group.host ?? ""}${route.path} -> ${route.to}`,
                ok: r.status !== null && r.status < 500,
                detail: r.status !== null ? `HTTP ${r.status}` : (r.error ?? "no answer"),
              }),
            ),
          );
        }
      }
    }
    for (const service of stack.services) {
      const direct = plan.replicas.some((r) => r.service === service.name && r.sparePort === null && r.port !== null);
      if (!direct || service.port === null || !stack.edge.open.some((o) => o.port === service.port)) continue;
      const url = `http://${address(host)}:${service.port}${service.health?.path ?? "/"}`;
      jobs.push(
        probe(url, null, timeout).then((r) =>
          checks.push({
            host: host.source,
            name: `${service.name} on its port ${service.port}`,
            ok: r.status !== null && r.status >= 200 && r.status < 400,
            detail: r.status !== null ? `HTTP ${r.status}` : (r.error ?? "no answer"),
          }),
        ),
      );
    }
  }
  await Promise.all(jobs);
  checks.sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name));
  for (const c of checks) options.progress?.(`  ${c.ok ? "✓" : "✗"} ${c.host} ${c.name}: ${c.detail}`);
  return { ok: checks.every((c) => c.ok), checks, ms: Date.now() - started };
}
