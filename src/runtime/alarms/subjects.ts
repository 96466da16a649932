/**
 * What each alarm watches locally: what every target watches (src/model/alarm-subjects.ts), and request
 * metrics on the gateway, for the whole edge or the service the alarm names. Pure.
 */
import { alarmSubjects } from "../../model/alarm-subjects.js";
import type { Alarm, Stack } from "../../model/types.js";

/** Metrics computed from the gateway's requests over the last minute. */
export const REQUEST_METRICS = ["error_rate", "p50", "p95", "p99", "requests"] as const;

/** Metrics of managed data stores, which the local run does not measure. */
export const STORE_METRICS = ["db_cpu", "db_connections", "cache_hit_rate"] as const;

/** The subjects of an alarm: a service or resource name, or null for the whole edge (requests there). */
export function subjectsOf(stack: Stack, alarm: Alarm): (string | null)[] {
  return alarmSubjects(stack, alarm) ?? [alarm.service];
}
