/** Which health check watches a service: one answer for the supervisor, the gateway and the docs. */
import type { HealthCheck, Service } from "./types.js";

/**
 * The check of a service with a port but no `health`: a TCP connect every 2 s (1 s timeout), up at the
 * first success, down after 3 failures in a row.
 */
export const TCP_HEALTH_CHECK: HealthCheck = {
  path: null,
  intervalMs: 2_000,
  timeoutMs: 1_000,
  healthy: 1,
  unhealthy: 3,
  graceMs: 0,
  status: [200, 399],
};

/** The service's own check, the TCP check when it has a port and none, else nothing to check. */
export function effectiveHealth(service: Pick<Service, "health" | "port">): HealthCheck | null {
  return service.health ?? (service.port !== null ? TCP_HEALTH_CHECK : null);
}
