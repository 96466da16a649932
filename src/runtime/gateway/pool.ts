/**
 * The replicas of one service: their keep-alive connections, their active health checks and the
 * choice of the replica for a request (least connections among healthy ones, ties taken in turn).
 */
import { Pool as UpstreamPool } from "undici";
import { probe } from "../health/probe.js";
import { type HealthState, initialHealth, recordCheck } from "../health/state.js";
import type { ServicePlan } from "./plan.js";
import type { HealthChange, TargetSpec, TargetStatus } from "./types.js";
import { UpstreamLane } from "./upstream-lane.js";

export interface Target {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** "api-1 (127.0.0.1:8001)", for messages. */
  readonly label: string;
  /** "http://host:port" */
  readonly origin: string;
  /** Keep-alive connections to the replica for requests with a body (undici). */
  readonly client: UpstreamPool;
  /** Keep-alive connections to the replica for requests without a body (the common case). */
  readonly lane: UpstreamLane;
  /** Requests in flight. */
  active: number;
  /** A connection to it failed since its last passing check: chosen only when nothing else is left. */
  suspect: boolean;
  removed: boolean;
  health: HealthState;
  timer: NodeJS.Timeout | null;
}

export interface PoolDeps {
  readonly now: () => number;
  readonly changed: (change: HealthChange) => void;
  /** Interval of the checks of a target that has never been healthy yet (see GatewayOptions). */
  readonly startupIntervalMs: number;
}

export class Pool {
  targets: Target[] = [];
  /** Healthy targets, rebuilt on every change so the hot path reads an array. */
  healthy: Target[] = [];
  private turn = 0;
  private closed = false;

  constructor(
    public plan: ServicePlan,
    private readonly deps: PoolDeps,
  ) {}

  get name(): string {
    return this.plan.name;
  }

  setTargets(specs: readonly TargetSpec[]): void {
    const wanted = new Map(specs.map((s) => [s.id, s]));
    for (const target of this.targets) {
      const spec = wanted.get(target.id);
      if (spec && spec.host === target.host && spec.port === target.port) wanted.delete(target.id);
      else this.retire(target);
    }
    this.targets = this.targets.filter((t) => !t.removed);
    for (const spec of wanted.values()) this.add(spec);
    this.rebuild();
  }

  /** A reload: new health settings apply from the next check on. */
  setPlan(plan: ServicePlan): void {
    this.plan = plan;
  }

  /** The replica for a request, avoiding `skip` (the one that just failed); null when none is left. */
  pick(skip: Target | null): Target | null {
    const list = this.healthy;
    const n = list.length;
    if (n === 1) {
      const only = list[0] as Target;
      return only === skip ? null : only;
    }
    if (n === 0) return null;
    const start = this.turn++ % n;
    let best: Target | null = null;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const target = list[(start + i) % n] as Target;
      if (target === skip) continue;
      const score = target.suspect ? target.active + 1e9 : target.active;
      if (score < bestScore) {
        best = target;
        bestScore = score;
      }
    }
    return best;
  }

  /** The healthy target with this id (a sticky cookie's), if any. */
  healthyById(id: string): Target | null {
    for (const target of this.healthy) if (target.id === id) return target;
    return null;
  }

  /** Why no replica can answer, for the 503 page. */
  unavailableReason(): string {
    if (this.targets.length === 0) return "no replica is running";
    const errors = this.targets.map(
      (t) => `${t.id}: ${t.health.lastError ?? (t.health.checks === 0 ? "not checked yet" : "not yet passed enough health checks")}`,
    );
    return `no healthy replica (0 of ${this.targets.length}): ${errors.join("; ")}`;
  }

  status(): TargetStatus[] {
    return this.targets.map((t) => ({
      id: t.id,
      host: t.host,
      port: t.port,
      healthy: t.health.healthy,
      checks: t.health.checks,
      lastCheck: t.health.lastCheck,
      lastError: t.health.lastError,
      active: t.active,
    }));
  }

  /** Stops every check; with `force`, cuts requests still in flight. */
  close(force = false): void {
    this.closed = true;
    for (const target of this.targets) this.retire(target, force);
    this.targets = [];
    this.healthy = [];
  }

  private add(spec: TargetSpec): void {
    const origin = `http://${spec.host.includes(":") ? `[${spec.host}]` : spec.host}:${spec.port}`;
    const target: Target = {
      id: spec.id,
      host: spec.host,
      port: spec.port,
      label: `${spec.id} (${spec.host}:${spec.port})`,
      origin,
      client: new UpstreamPool(origin, { connections: 256, pipelining: 1, keepAliveTimeout: 4_000 }),
      lane: new UpstreamLane(spec.host, spec.port),
      active: 0,
      suspect: false,
      removed: false,
      health: initialHealth(this.deps.now()),
      timer: null,
    };
    this.targets.push(target);
    void this.check(target);
  }

  /** Stops checking a target; requests in flight finish on their connections, then those close. */
  private retire(target: Target, force = false): void {
    target.removed = true;
    if (target.timer) clearTimeout(target.timer);
    target.timer = null;
    const closing = force ? target.client.destroy() : target.client.close();
    closing.catch(() => undefined);
    target.lane.close(force);
  }

  private async check(target: Target): Promise<void> {
    const check = this.plan.health;
    // Timers run on real time; the clock only stamps what status() reports.
    const started = Date.now();
    const error = await probe(target, check);
    if (target.removed || this.closed) return;
    if (error === null) target.suspect = false;
    const flipped = recordCheck(target.health, error, this.deps.now(), check);
    if (flipped) {
      this.rebuild();
      this.deps.changed({
        service: this.plan.name,
        target: target.id,
        healthy: target.health.healthy,
        checks: target.health.checks,
        error,
        at: target.health.lastCheck ?? this.deps.now(),
      });
    }
    // A replica that has not been healthy yet is checked more often, so a local start takes
    // `healthy` quick checks rather than `healthy` full intervals; thresholds stay exact.
    const interval = target.health.everHealthy ? this.plan.health.intervalMs : Math.min(this.plan.health.intervalMs, this.deps.startupIntervalMs);
    const wait = Math.max(0, started + interval - Date.now());
    target.timer = setTimeout(() => void this.check(target), wait);
    target.timer.unref();
  }

  private rebuild(): void {
    this.healthy = this.targets.filter((t) => t.health.healthy && !t.removed);
  }
}
