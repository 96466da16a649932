/** The gateway's public types (see index.ts for the whole API). */
import type { Stack } from "../../model/types.js";
import type { GuardReport } from "../http/guard.js";
import type { Telemetry } from "../telemetry/telemetry.js";

/** One replica of a service, as the supervisor started it. */
export interface TargetSpec {
  /** Stable name of the replica, such as `api-1`; the sticky cookie holds it. */
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

/** A target's health flipped. */
export interface HealthChange {
  readonly service: string;
  readonly target: string;
  readonly healthy: boolean;
  /** Checks run on this target since it was added. */
  readonly checks: number;
  /** Why the last check failed (null when it passed). */
  readonly error: string | null;
  /** Clock time of the check (milliseconds). */
  readonly at: number;
}

export interface TargetStatus {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly healthy: boolean;
  /** Checks run on it since it was added. */
  readonly checks: number;
  /** Clock time of the last check, or null before the first. */
  readonly lastCheck: number | null;
  readonly lastError: string | null;
  /** Requests in flight right now. */
  readonly active: number;
}

export interface ServiceStatus {
  readonly service: string;
  readonly targets: readonly TargetStatus[];
}

export interface Clock {
  /** Milliseconds, as `Date.now()`. */
  now(): number;
}

export interface GatewayOptions {
  readonly stack: Stack;
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** File the access log is appended to (one JSON line per request); none when absent. */
  readonly accessLog?: string;
  readonly clock?: Clock;
  /** Called whenever a target turns healthy or unhealthy. */
  readonly onHealthChange?: (change: HealthChange) => void;
  /**
   * Check interval of a replica that has never been healthy (default 250 ms, never above the
   * service's own interval): a new replica needs `healthy` passing checks, taken quickly at start.
   */
  readonly startupIntervalMs?: number;
  /** How long `close()` waits for requests in flight before cutting them (default 10 s). */
  readonly drainMs?: number;
  /**
   * Deadline for a request head from its first byte (default 60 s, nginx's `client_header_timeout`):
   * past it the gateway answers 408 and closes the connection.
   */
  readonly headTimeoutMs?: number;
  /** Told of each request a throw answered (see src/runtime/http/guard.ts), for the log. */
  readonly onError?: (report: GuardReport) => void;
  /**
   * Where requests are counted and traced (see src/runtime/telemetry): with it, every request gets a
   * W3C `traceparent` (continued or new) and is recorded; without, trace headers pass as they came.
   */
  readonly telemetry?: Telemetry;
}

export interface Gateway {
  /** Listens; resolves with the port actually bound. */
  start(): Promise<{ port: number }>;
  /** Stops accepting, lets requests in flight finish (up to `drainMs`), closes WebSockets. Idempotent. */
  close(): Promise<void>;
  /**
   * Opens a service's own address on `port` (0 picks a free one) and resolves with the port bound:
   * every request to it goes to the service's healthy replicas, as it is (no routes, no allow list,
   * no rate limit). The stack's processes call each other there, so a replaced replica or a second
   * one changes nothing for its callers.
   */
  listenService(service: string, port: number): Promise<number>;
  /** Replaces the replicas of a service: new ones start unhealthy until checked; removed ones drain. */
  setTargets(service: string, targets: readonly TargetSpec[]): void;
  /** Applies a new stack (routes, limits, health settings) without dropping requests or WebSockets. */
  reload(stack: Stack): void;
  /** Each routed service with its targets' health, in stack order. */
  status(): ServiceStatus[];
  /** Subscribes to health changes; returns the function that unsubscribes. */
  onHealthChange(listener: (change: HealthChange) => void): () => void;
  /** Resolves when the target is healthy (rejects after `timeoutMs`). */
  waitHealthy(service: string, target: string, timeoutMs?: number): Promise<void>;
}
