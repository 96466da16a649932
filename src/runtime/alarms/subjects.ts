/**
 * What each alarm watches, as the aws target reads it: cpu and memory on every service (or the one it
 * names), healthy_hosts on every routed service, request metrics on the whole edge (or the service it
 * names), database and cache metrics on each database or cache. Pure.
 */
import type { Alarm, Stack } from "../../model/types.js";

/** Metrics computed from the gateway's requests over the last minute. */
export const REQUEST_METRICS = ["error_rate", "p50", "p95", "p99", "requests"] as const;

/** Metrics of managed data stores, which the local run does not measure. */
export const STORE_METRICS = ["db_cpu", "db_connections", "cache_hit_rate"] as const;

/** The subjects of an alarm: a service or resource name, or null for the whole edge. */
export function subjectsOf(stack: Stack, alarm: Alarm): (string | null)[] {
  const services = stack.services.filter((s) => alarm.service === null || s.name === alarm.service);
  switch (alarm.metric) {
    case "cpu":
    case "memory":
      return services.map((s) => s.name);
    case "healthy_hosts":
      return services.filter((s) => s.public && s.port !== null).map((s) => s.name);
    case "db_cpu":
    case "db_connections":
      return stack.resources.filter((r) => r.type === "postgres").map((r) => r.name);
    case "cache_hit_rate":
      return stack.resources.filter((r) => r.type === "redis").map((r) => r.name);
    default:
      return [alarm.service];
  }
}
