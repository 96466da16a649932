/**
 * The checks of a verify, planned from the model: routes, health paths, WebSockets, TLS and the
 * HTTP redirect, the hosts' ports, units and timers over SSH, and the rate limit when asked. Pure:
 * the result is data that `verifyStack` runs.
 */
import type { Stack } from "../model/types.js";
import { needsProxy, tlsOn } from "../targets/common/edge.js";
import { proxyPorts, serverNames } from "../targets/common/nginx.js";
import type { VmPlan } from "../targets/vm/plan.js";
import { expectedPorts } from "./plan-ports.js";
import { type HostHealth, remoteExpectations } from "./plan-remote.js";
import { direct, type Reach, reachOf, shownUrl, throughRoute } from "./plan-requests.js";
import type { CheckResult, HttpRequest, PlannedCheck, VerifyHost } from "./types.js";
import { origin, type Where } from "./where.js";

/** A certificate with fewer days left than this warns. */
export const TLS_WARN_DAYS = 20;
/** The most requests the rate-limit probe sends. */
export const RATE_LIMIT_BOUND = 1000;
/** Requests sent beyond the limit before the probe gives up. */
const RATE_LIMIT_SLACK = 20;

export interface VerifyPlan {
  readonly checks: readonly PlannedCheck[];
  /** Checks that do not apply here, with the reason. */
  readonly skipped: readonly CheckResult[];
}

const skip = (kind: CheckResult["kind"], target: string, detail: string, service: string | null = null): CheckResult => ({
  kind,
  target,
  service,
  status: "skip",
  detail,
  ms: null,
});

/** Health paths: through a route, on the service's own port, or on the hosts over SSH. */
function healthChecks(stack: Stack, reach: Reach, out: PlannedCheck[], skipped: CheckResult[], onHosts: HostHealth[]): void {
  for (const service of stack.services) {
    const health = service.health;
    if (!health?.path) continue;
    const requests = throughRoute(reach, service.name, health.path) ?? direct(stack, reach, service, health.path);
    if (requests) {
      for (const request of requests)
        out.push({ kind: "health", target: shownUrl(request), service: service.name, probe: { kind: "http", request, expect: health.status } });
    } else if (!reach.local && reach.where.hosts.length && stack.environment.target === "vm") {
      onHosts.push({ service: service.name, path: health.path, status: health.status });
    } else skipped.push(skip("health", health.path, "not exposed by a route, and no hosts to check it on", service.name));
  }
}

/** WebSockets: the path the file names (or Streamlit's own), else the route's path. */
function websocketChecks(stack: Stack, reach: Reach, out: PlannedCheck[], skipped: CheckResult[]): void {
  for (const service of stack.services.filter((s) => s.websockets)) {
    const path = service.websocketPath ?? (service.framework === "streamlit" ? "/_stcore/stream" : null);
    let requests: HttpRequest[] | null = null;
    if (path) requests = throughRoute(reach, service.name, path) ?? direct(stack, reach, service, path);
    else {
      const route = reach.routes.find((r) => r.to === service.name);
      if (route) requests = reach.where.entrances.map((e) => ({ entrance: e, host: route.host ?? e.name, path: route.path }));
    }
    if (!requests) {
      skipped.push(skip("websocket", service.websocketPath ?? "-", "not reachable from outside", service.name));
      continue;
    }
    for (const request of requests)
      out.push({
        kind: "websocket",
        target: shownUrl(request, request.entrance.scheme === "https" ? "wss" : "ws"),
        service: service.name,
        probe: { kind: "websocket", request },
      });
  }
}

/** The certificate of each host name the edge answers, and the HTTP redirect. */
function tlsChecks(stack: Stack, reach: Reach, out: PlannedCheck[], skipped: CheckResult[]): void {
  if (reach.local) {
    skipped.push(skip("tls", "edge", "the local gateway serves plain HTTP"));
    return;
  }
  if (!tlsOn(stack) && !reach.where.entrances.some((e) => e.scheme === "https")) {
    skipped.push(skip("tls", "edge", "the file serves plain HTTP (edge.tls)"));
    return;
  }
  const names = serverNames(stack);
  const { main, redirect } = proxyPorts(stack);
  for (const entrance of reach.where.entrances) {
    const https = { ...entrance, scheme: "https" as const };
    for (const name of names.length ? names : [entrance.name]) {
      const request = { entrance: https, host: name, path: "/" };
      out.push({ kind: "tls", target: shownUrl(request).replace(/\/( via|$)/, "$1"), service: null, probe: { kind: "tls", request, warnDays: TLS_WARN_DAYS } });
    }
    if (stack.edge.redirectHttp && redirect !== null && needsProxy(stack)) {
      const name = names[0] ?? entrance.name;
      const request: HttpRequest = { entrance: { ...entrance, scheme: "http", port: redirect }, host: name, path: "/" };
      out.push({ kind: "redirect", target: shownUrl(request), service: null, probe: { kind: "redirect", request, to: `${origin("https", name, main)}/` } });
    }
  }
}

function rateLimitCheck(stack: Stack, reach: Reach, probeLimits: boolean, out: PlannedCheck[], skipped: CheckResult[]): void {
  const rule = stack.edge.rateLimit;
  if (!rule) return;
  const limit = rule.requests + rule.burst;
  const maxRequests = Math.min(RATE_LIMIT_BOUND, limit + RATE_LIMIT_SLACK);
  const per = `${rule.requests}/${rule.perMs / 1000} s`;
  if (!probeLimits) return void skipped.push(skip("rate-limit", per, `not probed: --probe-limits sends up to ${maxRequests} requests`));
  if (limit >= RATE_LIMIT_BOUND) return void skipped.push(skip("rate-limit", per, `the limit is above the probe's ${RATE_LIMIT_BOUND} requests`));
  const route = reach.routes[0];
  const entrance = reach.where.entrances[0];
  if (!route || !entrance) return void skipped.push(skip("rate-limit", per, "no route to send requests to"));
  const request = { entrance, host: route.host ?? entrance.name, path: route.path };
  out.push({ kind: "rate-limit", target: shownUrl(request), service: null, probe: { kind: "rate-limit", request, limit, maxRequests } });
}

export interface PlanOptions {
  readonly probeLimits: boolean;
  /**
   * The vm plan of a host (`planHost`: what `cairn deploy` put there), for a vm environment with
   * hosts: its units, timers, replicas' live ports and closed ports. Given by the caller, since it
   * loads the vm target.
   */
  readonly vmPlanOf?: (host: VerifyHost) => VmPlan;
}

/** The checks for `stack` at `where`. */
export function planVerify(stack: Stack, where: Where, options: PlanOptions): VerifyPlan {
  const reach = reachOf(stack, where);
  const checks: PlannedCheck[] = [];
  const skipped: CheckResult[] = [];
  for (const route of reach.routes)
    for (const entrance of where.entrances) {
      const request = { entrance, host: route.host ?? entrance.name, path: route.path };
      checks.push({ kind: "route", target: shownUrl(request), service: route.to, probe: { kind: "http", request, expect: "any" } });
    }
  const onHosts: HostHealth[] = [];
  healthChecks(stack, reach, checks, skipped, onHosts);
  websocketChecks(stack, reach, checks, skipped);
  tlsChecks(stack, reach, checks, skipped);
  if (!where.local) {
    if (!where.hosts.length) skipped.push(skip("ports", "hosts", "the environment names no hosts: only a file's own hosts are probed"));
    const vm = stack.environment.target === "vm" && where.hosts.length ? options.vmPlanOf : undefined;
    if (stack.environment.target === "vm" && where.hosts.length && !vm) throw new Error("planVerify: hosts to ask, and no vmPlanOf");
    for (const host of where.hosts) {
      const plan = vm?.(host) ?? null;
      checks.push({ kind: "ports", target: host.host, service: null, probe: { kind: "ports", address: host.host, expected: expectedPorts(stack, plan) } });
      // Units, timers and loopback health are the vm plan's; other targets run their processes their own way.
      if (plan) {
        const services = new Set(plan.stack.services.map((s) => s.name));
        const expected = remoteExpectations(
          plan,
          onHosts.filter((h) => services.has(h.service)),
        );
        checks.push({ kind: "unit", target: `${host.user}@${host.host}`, service: null, probe: { kind: "remote", host, expected } });
      }
    }
    if (where.hosts.length && !vm)
      skipped.push(skip("unit", "hosts", `units and timers are checked on vm environments (this one is ${stack.environment.target})`));
  }
  rateLimitCheck(stack, reach, options.probeLimits, checks, skipped);
  return { checks, skipped };
}
