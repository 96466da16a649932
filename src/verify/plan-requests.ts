/**
 * Which requests reach what from outside: the routes the edge declares, and the public path (if
 * any) under which a service's own path (its health check, its WebSocket) is reached. Route
 * matching is the gateway's own, so a path is public exactly when the edge would forward it. Pure.
 */
import type { Service, Stack } from "../model/types.js";
import { compileRoutes, forwardedUrl, matchRoute, type RouteTable } from "../runtime/gateway/plan.js";
import { normalizePath, portIsOpen, routeHost, routesByHost } from "../targets/common/edge.js";
import type { Entrance, HttpRequest } from "./types.js";
import { origin, type Where } from "./where.js";

export interface EdgeRoute {
  /** Host name with `{domain}` filled in, or null for any host. */
  readonly host: string | null;
  readonly path: string;
  readonly to: string;
}

/** The routes the edge declares (each once), plus the implicit `/` of a stack with one service and no routes. */
export function edgeRoutes(stack: Stack, local: boolean): EdgeRoute[] {
  const declared = routesByHost(stack).flatMap((g) =>
    g.routes.filter((r) => routeHost(r, stack) === g.host).map((r) => ({ host: g.host, path: normalizePath(r.path), to: r.to })),
  );
  const withPort = stack.services.filter((s) => s.port !== null);
  // The local gateway answers `/` with a lone service even when its port is also opened directly.
  if (local && declared.length === 0 && withPort.length === 1 && withPort[0]) return [{ host: null, path: "/", to: withPort[0].name }];
  return declared;
}

/** A URL as shown: `https://api.example.org/health`, with the entrance's label when there are several. */
export function shownUrl(request: HttpRequest, scheme: string = request.entrance.scheme): string {
  const base = origin(request.entrance.scheme, request.host, request.entrance.port).replace(/^https?/, scheme);
  return `${base}${request.path}${request.entrance.label ? ` via ${request.entrance.label}` : ""}`;
}

export interface Reach {
  readonly where: Where;
  readonly local: boolean;
  readonly routes: readonly EdgeRoute[];
  readonly table: RouteTable;
}

export function reachOf(stack: Stack, where: Where): Reach {
  return { where, local: where.local, routes: edgeRoutes(stack, where.local), table: compileRoutes(stack) };
}

/** Requests (one per entrance) that reach `upstreamPath` on the service through a route, or null. */
export function throughRoute(reach: Reach, service: string, upstreamPath: string): HttpRequest[] | null {
  for (const route of reach.routes.filter((r) => r.to === service)) {
    const candidates = route.path === "/" ? [upstreamPath] : [upstreamPath, `${route.path}${upstreamPath === "/" ? "" : upstreamPath}`];
    for (const entrance of reach.where.entrances) {
      const host = route.host ?? entrance.name;
      const path = candidates.find((c) => {
        const match = matchRoute(reach.table, host, c);
        return match?.to === service && forwardedUrl(match, c) === upstreamPath;
      });
      if (path) return reach.where.entrances.map((e) => ({ entrance: e, host: route.host ?? e.name, path }));
    }
  }
  return null;
}

/** Requests straight to the service's own port: opened by `edge.open` on a host, or its address at the local gateway. */
export function direct(stack: Stack, reach: Reach, service: Service, path: string): HttpRequest[] | null {
  if (reach.local) {
    const address = reach.where.serviceAddresses.get(service.name);
    const colon = address?.lastIndexOf(":") ?? -1;
    if (!address || colon < 0) return null;
    const entrance: Entrance = { scheme: "http", connect: address.slice(0, colon), port: Number(address.slice(colon + 1)), label: null };
    return [{ entrance, host: entrance.connect ?? "localhost", path }];
  }
  if (service.port === null || !portIsOpen(stack, service.port)) return null;
  const port = service.port;
  return reach.where.entrances.map((e) => ({ entrance: { scheme: "http", connect: e.connect, port, label: e.label }, host: e.name, path }));
}
