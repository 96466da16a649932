/**
 * Health of one replica with the semantics of an AWS target group, for both observers that check it
 * (the supervisor, which replaces an unhealthy replica, and the gateway, which stops routing to it):
 * a new replica is unhealthy until `healthy` consecutive checks pass; a healthy one turns unhealthy
 * after `unhealthy` consecutive failures; during the grace period after it started, failures are
 * recorded but not counted. Pure.
 */
import type { HealthCheck } from "../../model/types.js";

export interface HealthState {
  healthy: boolean;
  /** True once the target has been healthy at least once. */
  everHealthy: boolean;
  /** Consecutive passes and failures so far. */
  passes: number;
  failures: number;
  /** Checks run since the target was added. */
  checks: number;
  /** Time of the last check (clock milliseconds), or null before the first. */
  lastCheck: number | null;
  /** Why the last failing check failed; cleared by a pass. */
  lastError: string | null;
  readonly addedAt: number;
}

/** How `cairn ps` names a state: never healthy yet is starting. */
export type HealthStatus = "starting" | "healthy" | "unhealthy";

export function healthStatus(state: HealthState): HealthStatus {
  return !state.everHealthy ? "starting" : state.healthy ? "healthy" : "unhealthy";
}

export function initialHealth(now: number, healthy = false): HealthState {
  return { healthy, everHealthy: healthy, passes: 0, failures: 0, checks: 0, lastCheck: null, lastError: null, addedAt: now };
}

/** Records one check's outcome (`error` null on a pass); returns true when `healthy` flipped. */
export function recordCheck(state: HealthState, error: string | null, now: number, check: HealthCheck): boolean {
  state.checks++;
  state.lastCheck = now;
  if (error === null) {
    state.failures = 0;
    state.lastError = null;
    state.passes++;
    if (!state.healthy && state.passes >= check.healthy) {
      state.healthy = true;
      state.everHealthy = true;
      return true;
    }
    return false;
  }
  state.passes = 0;
  state.lastError = error;
  if (now - state.addedAt < check.graceMs) return false;
  state.failures++;
  if (state.healthy && state.failures >= check.unhealthy) {
    state.healthy = false;
    return true;
  }
  return false;
}
