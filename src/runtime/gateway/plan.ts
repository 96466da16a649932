/**
 * The gateway's configuration, computed from the stack once per (re)load: a precompiled route table
 * and one plan per service. Pure: nothing here touches the disk, the network or a process, so the
 * hot path only compares prefixes against strings built here.
 */
import { effectiveHealth, TCP_HEALTH_CHECK } from "../../model/health.js";
import type { HealthCheck, RateLimit, Stack } from "../../model/types.js";

/** One route, ready to compare against a request. */
export interface CompiledRoute {
  /** Host names (lowercase, no port) this route answers; empty for any host. */
  readonly hosts: readonly string[];
  /** Path prefix without its trailing slash; "" for "/" (matches everything). */
  readonly prefix: string;
  /** Service or static site that answers. */
  readonly to: string;
  readonly kind: "service" | "static";
  /** Remove the prefix before forwarding. */
  readonly strip: boolean;
  /** A service's own address (see `serviceRoute`): no allow list, no rate limit. */
  readonly internal: boolean;
  /** How the route is named in request counts and metrics: host and path as the stack writes them. */
  readonly label: string;
}

/** The label of every service's own address in request counts. */
export const OWN_ADDRESS_LABEL = "(own address)";

/** The route of a service's own address: everything to that service, as it is. */
export function serviceRoute(service: string): CompiledRoute {
  return { hosts: [], prefix: "", to: service, kind: "service", strip: false, internal: true, label: OWN_ADDRESS_LABEL };
}

/** Routes by host, each list sorted longest prefix first; `any` holds the host-less routes. */
export interface RouteTable {
  readonly byHost: ReadonlyMap<string, readonly CompiledRoute[]>;
  readonly any: readonly CompiledRoute[];
}

/** What the gateway needs to know about one service. */
export interface ServicePlan {
  readonly name: string;
  /** The declared check, or a TCP connect check when the service declares none. */
  readonly health: HealthCheck;
  readonly declaredHealth: boolean;
  readonly stickyMs: number | null;
  /** Cookie that pins a client to a replica (only used when `stickyMs` is set). */
  readonly cookie: string;
  readonly websockets: boolean;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
}

export interface StaticPlan {
  readonly name: string;
  /** Absolute folder served. */
  readonly dir: string;
  readonly spa: boolean;
}

export interface GatewayPlan {
  readonly routes: RouteTable;
  readonly services: ReadonlyMap<string, ServicePlan>;
  readonly statics: ReadonlyMap<string, StaticPlan>;
  readonly rateLimit: RateLimit | null;
  /** Limits for requests that reach no service (static files, unmatched paths). */
  readonly maxBodyBytes: number;
  readonly timeoutMs: number;
}

/** Check used for a service that declares none: the replica must accept a TCP connection. */

/** Host names a route's host answers: `{domain}` filled from the environment, and `*.localhost` for local runs. */
export function routeHosts(host: string | null, domain: string | null): string[] {
  if (host === null) return [];
  const hosts = new Set<string>();
  const lower = host.toLowerCase();
  if (!lower.includes("{domain}")) hosts.add(lower);
  else {
    if (domain) hosts.add(lower.replaceAll("{domain}", domain.toLowerCase()));
    hosts.add(lower.replaceAll("{domain}", "localhost"));
  }
  return [...hosts];
}

/** "/api/" and "/api" are the same prefix; "/" is the empty prefix. */
export function normalizePrefix(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.startsWith("/") ? trimmed : trimmed === "" ? "" : `/${trimmed}`;
}

/** Builds the route table; with no routes, a stack whose only port-holding service is alone gets "/". */
export function compileRoutes(stack: Stack): RouteTable {
  const routes = [...stack.routes];
  const withPort = stack.services.filter((s) => s.port !== null);
  if (routes.length === 0 && withPort.length === 1 && withPort[0])
    routes.push({ host: null, path: "/", to: withPort[0].name, toKind: "service", strip: false });
  const byHost = new Map<string, CompiledRoute[]>();
  const any: CompiledRoute[] = [];
  for (const route of routes) {
    const prefix = normalizePrefix(route.path);
    const service = stack.services.find((s) => s.name === route.to);
    // A service that says where it is mounted also says whether it expects the prefix.
    const base = service?.basePath && normalizePrefix(service.basePath.path) === prefix ? service.basePath : null;
    const compiled: CompiledRoute = {
      hosts: routeHosts(route.host, stack.environment.domain),
      prefix,
      to: route.to,
      kind: route.toKind,
      strip: prefix !== "" && (base ? base.strip : route.strip),
      internal: false,
      label: `${route.host ?? ""}${prefix === "" ? "/" : prefix}`,
    };
    if (compiled.hosts.length === 0) any.push(compiled);
    for (const host of compiled.hosts) {
      const list = byHost.get(host) ?? [];
      list.push(compiled);
      byHost.set(host, list);
    }
  }
  const longestFirst = (a: CompiledRoute, b: CompiledRoute) => b.prefix.length - a.prefix.length || (a.prefix < b.prefix ? -1 : 1);
  for (const list of byHost.values()) list.sort(longestFirst);
  any.sort(longestFirst);
  return { byHost, any };
}

/** True when `url` (path and query) is under `prefix` on a segment boundary. */
export function underPrefix(url: string, prefix: string): boolean {
  if (prefix === "") return true;
  if (!url.startsWith(prefix)) return false;
  if (url.length === prefix.length) return true;
  const next = url.charCodeAt(prefix.length);
  return next === 47 /* / */ || next === 63 /* ? */;
}

function firstMatch(routes: readonly CompiledRoute[] | undefined, url: string): CompiledRoute | null {
  if (routes === undefined) return null;
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i] as CompiledRoute;
    if (underPrefix(url, route.prefix)) return route;
  }
  return null;
}

/** Host header without its port, lowercase. */
export function hostName(header: string): string {
  let end = header.length;
  if (header.charCodeAt(0) !== 91 /* [ */) {
    const colon = header.lastIndexOf(":");
    if (colon !== -1) end = colon;
  } else {
    const close = header.indexOf("]");
    if (close !== -1) end = close + 1;
  }
  return header.slice(0, end).toLowerCase();
}

/** The route for a request: host routes first, then host-less ones; longest prefix wins within each. */
export function matchRoute(table: RouteTable, host: string | undefined, url: string): CompiledRoute | null {
  if (table.byHost.size > 0 && host) {
    const route = firstMatch(table.byHost.get(hostName(host)), url);
    if (route) return route;
  }
  return firstMatch(table.any, url);
}

/** The path and query sent upstream: the prefix removed when the route strips it. */
export function forwardedUrl(route: CompiledRoute, url: string): string {
  if (!route.strip) return url;
  const rest = url.slice(route.prefix.length);
  return rest === "" ? "/" : rest.charCodeAt(0) === 63 ? `/${rest}` : rest;
}

/** Everything the gateway needs from a stack. */
export function planGateway(stack: Stack): GatewayPlan {
  const services = new Map<string, ServicePlan>();
  for (const s of stack.services) {
    if (s.port === null) continue;
    services.set(s.name, {
      name: s.name,
      health: effectiveHealth(s) ?? TCP_HEALTH_CHECK,
      declaredHealth: s.health !== null,
      stickyMs: s.stickyMs,
      cookie: `cairn_${s.name.replace(/[^A-Za-z0-9_-]/g, "_")}`,
      websockets: s.websockets,
      timeoutMs: s.timeoutMs,
      // The service's own limit is the more specific one (a dashboard taking 200 MB uploads).
      maxBodyBytes: s.maxBodyBytes,
    });
  }
  const statics = new Map<string, StaticPlan>();
  for (const r of stack.resources) {
    if (r.type !== "static") continue;
    const dir = r.dir.startsWith("/") ? r.dir : `${stack.root.replace(/\/+$/, "")}/${r.dir.replace(/^\.\//, "")}`;
    statics.set(r.name, { name: r.name, dir, spa: r.spa });
  }
  return {
    routes: compileRoutes(stack),
    services,
    statics,
    rateLimit: stack.edge.rateLimit,
    maxBodyBytes: stack.edge.maxBodyBytes,
    timeoutMs: stack.edge.timeoutMs,
  };
}
