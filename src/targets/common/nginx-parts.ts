/** Small pieces of nginx configuration shared by the vm and compose proxies. Pure. */
import type { RateLimit, Service, Stack } from "../../model/types.js";
import { seconds } from "./edge.js";

/** A name usable in nginx variables and zone names: `forest-guard` -> `forest_guard`. */
export function nginxName(...parts: string[]): string {
  return parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

/**
 * nginx limits with a leaky bucket: `rate` requests per period, and a burst of `requests - 1` (plus
 * the file's burst) served at once, so the first N requests of a quiet client pass and the next one
 * is refused, as the local gateway does with its sliding window.
 */
export function rateDirectives(limit: RateLimit): { rate: string; burst: number } {
  const perMinute = (limit.requests * 60_000) / limit.perMs;
  const rate = Number.isInteger(perMinute) ? `${perMinute}r/m` : `${Math.max(1, Math.round((limit.requests * 1000) / limit.perMs))}r/s`;
  return { rate, burst: Math.max(0, limit.requests - 1 + limit.burst) };
}

/** Cookie nginx sets to pin a client to one replica. */
export function stickyCookie(stack: Stack, service: Service): string {
  return nginxName("cairn", stack.name, service.name);
}

/** Parameters of each `server` line of a service's upstream: failures mark a replica down for one health interval. */
export function serverParams(service: Service): string {
  const health = service.health;
  return health ? ` max_fails=${health.unhealthy} fail_timeout=${seconds(health.intervalMs)}s` : "";
}

/**
 * One upstream per service with every replica. Sticky services hash on a cookie nginx sets itself
 * (open-source nginx has no `sticky cookie`); failures mark a replica down for one health interval.
 */
export function upstreamBlock(stack: Stack, service: Service, servers: readonly string[], include: string | null = null): string[] {
  const fails = serverParams(service);
  const lines = [`upstream ${nginxName(stack.name, service.name)} {`];
  if (service.stickyMs !== null) lines.push(`    hash $${nginxName(stack.name, service.name, "affinity")} consistent;`);
  // A file of `server` lines that a deploy rewrites as replicas move between ports.
  if (include !== null) lines.push(`    include ${include};`);
  else for (const server of servers) lines.push(`    server ${server}${fails};`);
  lines.push("    keepalive 16;", "}");
  return lines;
}

/** The cookie value of a sticky service: the client's cookie, or a new id nginx then sets. */
export function stickyMap(stack: Stack, service: Service): string[] {
  const variable = nginxName(stack.name, service.name, "affinity");
  return [
    `map $cookie_${stickyCookie(stack, service)} $${variable} {`,
    "    default $request_id;",
    "    ~.+ $cookie_" + stickyCookie(stack, service) + ";",
    "}",
  ];
}

/** Directives inside a location that proxies to a service. */
export function proxyDirectives(stack: Stack, service: Service, target: string): string[] {
  const upgrade = nginxName(stack.name, "connection_upgrade");
  const timeout = service.websockets ? Math.max(seconds(service.timeoutMs), 3600) : seconds(service.timeoutMs);
  const lines = [
    `proxy_pass ${target};`,
    "proxy_http_version 1.1;",
    "proxy_set_header Host $host;",
    "proxy_set_header X-Real-IP $remote_addr;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $scheme;",
    service.websockets ? "proxy_set_header Upgrade $http_upgrade;" : null,
    service.websockets ? `proxy_set_header Connection $${upgrade};` : 'proxy_set_header Connection "";',
    "proxy_connect_timeout 5s;",
    `proxy_send_timeout ${timeout}s;`,
    `proxy_read_timeout ${timeout}s;`,
    `client_max_body_size ${service.maxBodyBytes};`,
  ];
  if (service.stickyMs !== null) {
    const cookie = stickyCookie(stack, service);
    const variable = nginxName(stack.name, service.name, "affinity");
    lines.push(`add_header Set-Cookie "${cookie}=$${variable}; Max-Age=${seconds(service.stickyMs)}; Path=/; HttpOnly; SameSite=Lax" always;`);
  }
  return lines.filter((l): l is string => l !== null);
}
