/**
 * What an alarm watches, for every target and the local run: cpu and memory on every service (or the one
 * it names), healthy_hosts on every routed service, database and cache metrics on each database or
 * cache. Request metrics (error_rate, latency, requests) are measured where requests enter, which each
 * target decides: for them this gives null. Pure.
 */
import type { Alarm, Stack } from "./types.js";

/** The names an alarm watches, or null for a request metric. */
export function alarmSubjects(stack: Stack, alarm: Alarm): string[] | null {
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
      return null;
  }
}
