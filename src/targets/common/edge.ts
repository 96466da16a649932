/**
 * The public side as a target sees it: route hosts with `{domain}` filled in, the public URL, and
 * the routes grouped by host the way a reverse proxy declares them. Pure.
 */
import type { Route, Stack } from "../../model/types.js";

/** The host a route answers, `{domain}` filled from the environment (or `localhost`). */
export function routeHost(route: Route, stack: Stack): string | null {
  if (route.host === null) return null;
  return route.host.toLowerCase().replaceAll("{domain}", (stack.environment.domain ?? "localhost").toLowerCase());
}

/** True when the edge serves HTTPS. */
export function tlsOn(stack: Stack): boolean {
  return stack.edge.tls.mode !== "off";
}

/** Ports nginx listens on: HTTPS on the edge port (443 when the file says 80) and HTTP 80 for redirects. */
export function proxyPorts(stack: Stack): { main: number; redirect: number | null } {
  if (!tlsOn(stack)) return { main: stack.edge.port, redirect: null };
  return { main: stack.edge.port === 80 ? 443 : stack.edge.port, redirect: 80 };
}

/**
 * The public URL: scheme, the domain (or the first route host), and the port when not the default.
 * Behind a Kubernetes Ingress (`ingress`), the port is always the scheme's: it listens on 80 and 443
 * whatever `edge.port` says.
 */
export function edgeUrl(stack: Stack, where: "machine" | "ingress" = "machine"): string {
  const tls = tlsOn(stack);
  const firstHost = stack.routes.map((r) => routeHost(r, stack)).find((h) => h !== null);
  const host = stack.environment.domain ?? firstHost ?? "localhost";
  if (where === "ingress") return `${tls ? "https" : "http"}://${host}`;
  // The port the edge listens on, as nginx does: with TLS, a file's 80 becomes 443.
  const { main } = proxyPorts(stack);
  const port = main === (tls ? 443 : 80) ? "" : `:${main}`;
  return `${tls ? "https" : "http"}://${host}${port}`;
}

/** "/api/" and "/api" are one prefix; "/" stays "/". */
export function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

export interface HostRoutes {
  /** Host name, or null for the default server (routes without a host). */
  readonly host: string | null;
  /** Routes of that host, longest path first, then by name. */
  readonly routes: readonly Route[];
}

/**
 * Routes grouped by host: one server per host, plus one default server for routes without a host.
 * With no routes and one service with a port, that service answers `/` (as `cairn up` does).
 */
export function routesByHost(stack: Stack): HostRoutes[] {
  const routes = [...stack.routes];
  const withPort = stack.services.filter((s) => s.port !== null);
  if (routes.length === 0 && withPort.length === 1 && withPort[0] && !portIsOpen(stack, withPort[0].port))
    routes.push({ host: null, path: "/", to: withPort[0].name, toKind: "service", strip: false });
  const groups = new Map<string | null, Route[]>();
  for (const route of routes) {
    const host = routeHost(route, stack);
    groups.set(host, [...(groups.get(host) ?? []), route]);
  }
  const hostless = groups.get(null) ?? [];
  const length = new Map(routes.map((r) => [r, normalizePath(r.path).length]));
  const byLength = (a: Route, b: Route) => (length.get(b) ?? 0) - (length.get(a) ?? 0) || a.to.localeCompare(b.to);
  return [...groups.entries()]
    .map(([host, list]) => {
      // A host's own route wins over a host-less route on the same path.
      const own = new Set(list.map((r) => normalizePath(r.path)));
      const inherited = host === null ? [] : hostless.filter((r) => !own.has(normalizePath(r.path)));
      return { host, routes: [...list, ...inherited].sort(byLength) };
    })
    .sort((a, b) => (a.host ?? "").localeCompare(b.host ?? ""));
}

/** True when the edge opens this port directly (the service is public without the proxy). */
export function portIsOpen(stack: Stack, port: number | null): boolean {
  return port !== null && stack.edge.open.some((p) => p.port === port);
}

/** True when the stack needs a reverse proxy: some route reaches a service or a static site. */
export function needsProxy(stack: Stack): boolean {
  return routesByHost(stack).length > 0;
}

/** Rounds a duration in milliseconds up to whole seconds, at least 1. */
export function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
