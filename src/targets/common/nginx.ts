/**
 * The nginx configuration of the edge, shared by the vm and compose targets: upstreams with every
 * replica, one server per host, path routing with optional prefix stripping, WebSocket upgrades,
 * sticky routing, rate limit, body size, timeouts, TLS with an HTTP redirect, and logs. The result is
 * an `http`-context file (a site). Pure.
 */

import type { Route, Service, Stack, StaticSite } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import { type HostRoutes, normalizePath, proxyPorts, routesByHost, tlsOn } from "./edge.js";

export { proxyPorts };

import { resourceNamed, serviceNamed } from "./index-by-name.js";
import { EDGE_LOG_FORMAT } from "./machine-telemetry.js";
import { nginxName, proxyDirectives, rateDirectives, stickyMap, upstreamBlock } from "./nginx-parts.js";

/** Where things are on the machine that runs nginx. */
export interface ProxyLayout {
  /** Upstream addresses of a service's replicas, such as `127.0.0.1:5001`. */
  readonly servers: (service: Service) => readonly string[];
  /** Folder served for a static site. */
  readonly staticRoot: (site: StaticSite) => string;
  readonly logDir: string;
  /** Log files instead of `<logDir>/<stack>-access.log` and `-error.log` (compose logs to the container's output). */
  readonly logFiles?: { readonly access: string; readonly error: string };
  /** Folder holding `fullchain.pem` and `privkey.pem` (Let's Encrypt's `live/<name>`). */
  readonly certDir: string;
  /** Folder for ACME HTTP-01 challenges. */
  readonly acmeRoot: string;
  /** A file of `server` lines per service, included instead of listing the replicas (`cairn deploy` rewrites it). */
  readonly upstreamFile?: (service: Service) => string;
  /** A second access log, one JSON line per request (status, seconds), for the machine's edge metrics in CloudWatch. */
  readonly metricsLog?: string;
}

/** The name of the metrics log's format: log formats are global to nginx, so the stack's own. */
export function metricsFormat(stack: Stack): string {
  return nginxName(stack.name, "metrics");
}

/** Every host name the edge answers, sorted. */
export function serverNames(stack: Stack): string[] {
  return [...new Set(routesByHost(stack).flatMap((g) => (g.host ? [g.host] : [])))].sort();
}

function routeService(stack: Stack, route: Route): Service | undefined {
  return serviceNamed(stack, route.to);
}

function strips(route: Route, service: Service | undefined): boolean {
  const prefix = normalizePath(route.path);
  if (prefix === "/") return false;
  if (service?.basePath && normalizePath(service.basePath.path) === prefix) return service.basePath.strip;
  return route.strip;
}

function locationBlocks(stack: Stack, route: Route, layout: ProxyLayout): string[] {
  const prefix = normalizePath(route.path);
  const block = (match: string, body: string[]) => [`    location ${match} {`, ...body.map((l) => `        ${l}`), "    }"];
  if (route.toKind === "static") {
    const site = (() => {
      const r = resourceNamed(stack, route.to);
      return r?.type === "static" ? r : undefined;
    })();
    const root = site ? layout.staticRoot(site) : "/var/www/html";
    const fallback = site?.spa ? `${prefix === "/" ? "" : prefix}/index.html` : "=404";
    if (prefix === "/") return block("/", [`root ${root};`, `try_files $uri $uri/ ${fallback};`]);
    return block(`${prefix}/`, [`alias ${root}/;`, `try_files $uri $uri/ ${fallback};`]);
  }
  const service = routeService(stack, route);
  if (!service) return [];
  const upstream = `http://${nginxName(stack.name, service.name)}`;
  const target = strips(route, service) ? `${upstream}/` : upstream;
  if (prefix === "/") return block("/", proxyDirectives(stack, service, target));
  return [...block(`= ${prefix}`, proxyDirectives(stack, service, target)), ...block(`${prefix}/`, proxyDirectives(stack, service, target))];
}

function logLines(stack: Stack, layout: ProxyLayout): string[] {
  const access = layout.logFiles?.access ?? `${layout.logDir}/${stack.name}-access.log`;
  const error = layout.logFiles?.error ?? `${layout.logDir}/${stack.name}-error.log`;
  const metrics = layout.metricsLog ? [`    access_log ${layout.metricsLog} ${metricsFormat(stack)};`] : [];
  return [`    access_log ${access};`, ...metrics, `    error_log ${error} warn;`];
}

function serverBlock(stack: Stack, group: HostRoutes | null, layout: ProxyLayout, port: number): string[] {
  const tls = tlsOn(stack);
  const zone = nginxName(stack.name, "edge");
  const lines = ["server {", `    listen ${port}${tls ? " ssl" : ""}${group?.host ? "" : " default_server"};`, `    server_name ${group?.host ?? "_"};`];
  if (tls) {
    lines.push(
      `    ssl_certificate ${layout.certDir}/fullchain.pem;`,
      `    ssl_certificate_key ${layout.certDir}/privkey.pem;`,
      "    ssl_protocols TLSv1.2 TLSv1.3;",
    );
  }
  lines.push(...logLines(stack, layout));
  lines.push(`    client_max_body_size ${stack.edge.maxBodyBytes};`);
  for (const cidr of stack.edge.allow) lines.push(`    allow ${cidr};`);
  if (stack.edge.allow.length) lines.push("    deny all;");
  if (stack.edge.rateLimit) {
    lines.push(`    limit_req zone=${zone} burst=${rateDirectives(stack.edge.rateLimit).burst} nodelay;`, "    limit_req_status 429;");
  }
  if (group === null) lines.push("    return 404;");
  else for (const route of group.routes) lines.push(...locationBlocks(stack, route, layout));
  lines.push("}");
  return lines;
}

function redirectBlock(stack: Stack, layout: ProxyLayout, main: number, redirect: number): string[] {
  const target = main === 443 ? "https://$host$request_uri" : `https://$host:${main}$request_uri`;
  return [
    "server {",
    `    listen ${redirect} default_server;`,
    "    server_name _;",
    ...logLines(stack, layout),
    "    location /.well-known/acme-challenge/ {",
    `        root ${layout.acmeRoot};`,
    "    }",
    "    location / {",
    stack.edge.redirectHttp ? `        return 301 ${target};` : "        return 404;",
    "    }",
    "}",
  ];
}

/** The site configuration, and what nginx cannot do exactly. */
export function renderNginx(stack: Stack, layout: ProxyLayout): { content: string; warnings: TargetNote[] } {
  const warnings: TargetNote[] = [];
  const groups = routesByHost(stack);
  const used = new Set(groups.flatMap((g) => g.routes.filter((r) => r.toKind === "service").map((r) => r.to)));
  const services = stack.services.filter((s) => used.has(s.name) && s.port !== null);
  const lines = [`# nginx site of ${stack.name} (${stack.environment.name}), generated by cairn build: edit the stack file instead.`, ""];
  if (layout.metricsLog) lines.push(`log_format ${metricsFormat(stack)} escape=json '${EDGE_LOG_FORMAT}';`, "");
  if (services.some((s) => s.websockets)) {
    lines.push(`map $http_upgrade $${nginxName(stack.name, "connection_upgrade")} {`, "    default upgrade;", "    '' '';", "}", "");
  }
  if (stack.edge.rateLimit) {
    const { rate } = rateDirectives(stack.edge.rateLimit);
    lines.push(`limit_req_zone $binary_remote_addr zone=${nginxName(stack.name, "edge")}:10m rate=${rate};`, "");
  }
  for (const service of services) {
    if (service.stickyMs !== null) {
      lines.push(...stickyMap(stack, service), "");
      warnings.push({
        part: `services.${service.name}.sticky`,
        message: "open-source nginx has no cookie-based sticky sessions",
        instead: `a consistent hash on a cookie nginx sets itself (${nginxName("cairn", stack.name, service.name)}); a client moves only when its replica leaves the upstream`,
      });
    }
    lines.push(...upstreamBlock(stack, service, layout.servers(service), layout.upstreamFile?.(service) ?? null), "");
  }
  const { main, redirect } = proxyPorts(stack);
  for (const group of groups) lines.push(...serverBlock(stack, group, layout, main), "");
  if (!groups.some((g) => g.host === null)) lines.push(...serverBlock(stack, null, layout, main), "");
  if (redirect !== null) lines.push(...redirectBlock(stack, layout, main, redirect), "");
  return { content: `${lines.join("\n").trimEnd()}\n`, warnings };
}
