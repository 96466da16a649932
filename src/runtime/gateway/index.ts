/**
 * Cairn's local gateway: the reverse proxy `cairn up` puts on the edge port.
 *
 * ```ts
 * const gateway = createGateway({ stack, port: stack.edge.port, accessLog: ".cairn/local/logs/access.log" });
 * const { port } = await gateway.start();          // port 0 picks a free port
 * gateway.onHealthChange((c) => log(`${c.service}/${c.target} ${c.healthy ? "healthy" : "unhealthy"}`));
 * gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port: 41001 }, { id: "api-2", host: "127.0.0.1", port: 41002 }]);
 * await gateway.waitHealthy("api", "api-1");       // each new target starts unhealthy
 * gateway.reload(nextStack);                       // new routes and limits; requests in flight finish
 * gateway.status();                                // [{ service, targets: [{ id, healthy, lastCheck, lastError, ... }] }] for `cairn ps`
 * await gateway.close();                           // drains, idempotent
 * ```
 *
 * - Routing comes from `stack.routes`: host (with `{domain}` filled, and `<name>.localhost` for
 *   local runs) then longest path prefix; the prefix is stripped when the route (or the service's
 *   `base_path`) says so. A stack with no routes and one service with a port routes `/` to it.
 * - Every service with a port gets a pool, routed or not, so its replicas are health-checked.
 *   A new target is unhealthy until `health.healthy` consecutive checks pass (AWS target-group
 *   semantics); a service with no health check is checked by a TCP connect (healthy after one).
 * - Replacing a replica without dropping requests: `setTargets` with old + new, `waitHealthy(new)`,
 *   then `setTargets` with new only; the old one drains (requests in flight end on their connection).
 * - Bodyless requests to services go through a lean HTTP/1.1 lane (fast-lane.ts); a connection
 *   moves to `node:http` at its first request with a body, an upgrade or a static route.
 * - Answers of its own: 404 (no route), 413 (body), 429 (rate limit, with Retry-After), 502
 *   (replica failed), 503 (no healthy replica: the last health error), 504 (timeout); JSON when the
 *   client accepts JSON. See docs/gateway.md.
 */
export { createGateway } from "./gateway.js";
export { notAppliedLocally } from "./local-edge.js";
export type { Clock, Gateway, GatewayOptions, HealthChange, ServiceStatus, TargetSpec, TargetStatus } from "./types.js";
