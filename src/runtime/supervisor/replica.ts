/**
 * One replica of a service: its process, restarted by the service's policy, and its health,
 * checked on a timer. A new process is "starting": it is checked every 50 ms, failures do not
 * count, and `healthy` consecutive passes make it healthy. From then on checks run at the
 * configured interval and each transition takes exactly the configured number of checks. A
 * replica that turns unhealthy is stopped and started again under its restart policy, as a load
 * balancer's service replaces an unhealthy task (`restart: never` leaves it running).
 */

import { effectiveHealth } from "../../model/health.js";
import type { HealthCheck, Service } from "../../model/types.js";
import { probe } from "../health/probe.js";
import { type HealthState, type HealthStatus, healthStatus, initialHealth, recordCheck } from "../health/state.js";
import { decideRestart, describeExit } from "./backoff.js";
import type { LogSink } from "./log-sink.js";
import { type Spawned, spawnProcess, stopGroup } from "./spawn.js";
import type { Watchdog } from "./watchdog.js";

export type ReplicaState = "starting" | "running" | "healthy" | "unhealthy" | "backoff" | "stopping" | "stopped" | "exited" | "crash-loop" | "failed";

/** What `cairn ps` shows for a replica. */
export interface ReplicaSnapshot {
  readonly id: string;
  readonly service: string;
  readonly index: number;
  readonly port: number | null;
  readonly pid: number | null;
  readonly state: ReplicaState;
  readonly health: HealthStatus | null;
  readonly restarts: number;
  readonly startedAt: string | null;
  readonly lastExit: string | null;
  /** Why the replica is not serving, when it is not. */
  readonly cause: string | null;
  readonly log: string;
}

export interface ReplicaOptions {
  readonly service: Service;
  /** 1-based. */
  readonly index: number;
  readonly port: number | null;
  readonly host: string;
  readonly root: string;
  readonly env: Record<string, string>;
  readonly sink: LogSink;
  readonly watchdog: Watchdog;
  /** Called on every change of state or health (for the gateway and the live view). */
  readonly onChange: (replica: Replica) => void;
  readonly startupCheckMs?: number;
}

export class Replica {
  readonly id: string;
  private spawned: Spawned | null = null;
  private healthState: HealthState = initialHealth(0);
  private state: ReplicaState = "starting";
  private restarts = 0;
  private recentRestarts: number[] = [];
  private startedAt: number | null = null;
  private lastExit: string | null = null;
  private cause: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  /** The process is being stopped because it failed its health checks: its exit counts as a failure. */
  private replacing = false;
  private generation = 0;
  readonly check: HealthCheck | null;

  constructor(private readonly options: ReplicaOptions) {
    this.id = `${options.service.name}.${options.index}`;
    this.check = options.port !== null ? effectiveHealth(options.service) : null;
  }

  get port(): number | null {
    return this.options.port;
  }

  get pid(): number | null {
    return this.spawned?.pid || null;
  }

  get health(): HealthStatus | null {
    return this.check ? healthStatus(this.healthState) : null;
  }

  /** True when the replica can take traffic: healthy, or running with nothing to check. */
  get ready(): boolean {
    return this.state === "healthy" || this.state === "running";
  }

  /** True when it will not come back by itself. */
  get dead(): boolean {
    return this.state === "crash-loop" || this.state === "failed" || this.state === "stopped" || this.state === "exited";
  }

  get reason(): string | null {
    return this.cause;
  }

  start(): void {
    const { service, sink } = this.options;
    if (!service.command) {
      this.fail(`has no \`run\` command to start locally`);
      return;
    }
    this.generation++;
    this.healthState = initialHealth(Date.now());
    this.replacing = false;
    this.spawned = spawnProcess({
      command: service.command,
      root: this.options.root,
      cwd: service.cwd,
      env: this.options.env,
      sink,
      watchdog: this.options.watchdog,
    });
    this.startedAt = Date.now();
    this.setState(this.check ? "starting" : "running");
    sink.line("cairn", `started pid ${this.spawned.pid}${this.port !== null ? ` on port ${this.port}` : ""}`);
    const generation = this.generation;
    void this.spawned.exited.then((exit) => this.onExit(generation, exit));
    if (this.check) this.scheduleCheck(generation, this.options.startupCheckMs ?? 50);
  }

  private scheduleCheck(generation: number, delay: number): void {
    this.healthTimer = setTimeout(() => void this.runCheck(generation), delay);
  }

  private async runCheck(generation: number): Promise<void> {
    const check = this.check;
    if (!check || generation !== this.generation || this.stopping || this.port === null) return;
    const error = await probe({ host: this.options.host, port: this.port }, check);
    if (generation !== this.generation || this.stopping) return;
    // Until its first healthy check a replica is starting: failures then change nothing (the start
    // timeout of `waitReady` decides when it never comes up), and checks run fast.
    const before = healthStatus(this.healthState);
    recordCheck(this.healthState, error, Date.now(), check);
    const after = healthStatus(this.healthState);
    if (after === "starting") this.cause = error ? `last check: ${error}` : null;
    if (after !== before) {
      this.cause = after === "unhealthy" ? `health check failing: ${error}` : null;
      this.options.sink.line("cairn", `${after}${error && after === "unhealthy" ? ` (${error})` : ""} after ${this.healthState.checks} checks`);
      this.setState(after);
      // As a load balancer's service replaces a task it finds unhealthy: stop it, and let the
      // restart policy (back-off, crash loop) decide about the next one.
      const child = this.spawned?.child;
      if (after === "unhealthy" && this.options.service.restart.policy !== "never" && this.spawned && child?.exitCode === null && child.signalCode === null) {
        this.replacing = true;
        this.options.sink.line("cairn", `stopping it to start a new one (restart policy ${this.options.service.restart.policy})`);
        void stopGroup(this.spawned, this.options.service.stopTimeoutMs);
        return;
      }
    }
    const fast = after === "starting";
    this.scheduleCheck(generation, fast ? Math.min(check.intervalMs, this.options.startupCheckMs ?? 50) : check.intervalMs);
  }

  private onExit(generation: number, exit: { code: number | null; signal: string | null; error: string | null }): void {
    if (generation !== this.generation) return;
    if (this.healthTimer) clearTimeout(this.healthTimer);
    const how = exit.error ?? describeExit(exit.code, exit.signal);
    this.lastExit = how;
    this.options.sink.line("cairn", `exited (${how})`);
    if (this.stopping) {
      this.setState("stopped");
      return;
    }
    if (exit.error) {
      this.fail(exit.error);
      return;
    }
    const unhealthy = this.replacing;
    this.replacing = false;
    // Stopped for failing its checks: a failure whatever the exit code it left with.
    const decision = decideRestart(this.options.service.restart, unhealthy ? 1 : exit.code, unhealthy ? null : exit.signal, this.recentRestarts, Date.now());
    if (decision.action === "restart") {
      this.cause = unhealthy ? `failed its health checks, restarting in ${decision.delayMs} ms` : `exited (${how}), restarting in ${decision.delayMs} ms`;
      this.setState("backoff");
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.stopping) return;
        this.restarts++;
        this.recentRestarts = [...this.recentRestarts, Date.now()].filter((t) => Date.now() - t < this.options.service.restart.windowMs);
        this.start();
      }, decision.delayMs);
      return;
    }
    const command = this.options.service.command?.shell ?? this.options.service.command?.argv?.join(" ") ?? "";
    if (exit.code === 127 || exit.code === 126) this.fail(`${decision.reason}: \`${command}\``);
    else if (decision.action === "crash-loop") this.fail(`${decision.reason}, last ${how}`, "crash-loop");
    else {
      this.cause = `${how}; ${decision.reason}`;
      this.setState("exited");
    }
  }

  private fail(cause: string, state: ReplicaState = "failed"): void {
    this.cause = cause;
    this.options.sink.line("cairn", cause);
    this.setState(state);
  }

  private setState(state: ReplicaState): void {
    this.state = state;
    this.options.onChange(this);
  }

  /** Graceful stop: SIGTERM to the group, the service's stop timeout, then SIGKILL. Idempotent. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.healthTimer) clearTimeout(this.healthTimer);
    const spawned = this.spawned;
    if (spawned && spawned.child.exitCode === null && spawned.child.signalCode === null) {
      this.setState("stopping");
      await stopGroup(spawned, this.options.service.stopTimeoutMs);
    }
    if (!this.dead) this.setState("stopped");
  }

  /** Starts a replica stopped by hand again (the console's "start"); false when it is not stopped. */
  resume(): boolean {
    if (!this.dead || this.state === "stopping") return false;
    if (this.timer) clearTimeout(this.timer);
    this.stopping = false;
    this.start();
    return true;
  }

  /** Stops the process and starts a new one (the console's "restart"); it counts as a restart. */
  async restart(): Promise<void> {
    await this.stop();
    this.stopping = false;
    this.restarts++;
    this.start();
  }

  snapshot(): ReplicaSnapshot {
    return {
      id: this.id,
      service: this.options.service.name,
      index: this.options.index,
      port: this.port,
      pid: this.state === "stopped" || this.state === "exited" || this.dead ? null : this.pid,
      state: this.state,
      health: this.health,
      restarts: this.restarts,
      startedAt: this.startedAt ? new Date(this.startedAt).toISOString() : null,
      lastExit: this.lastExit,
      cause: this.cause,
      log: this.options.sink.path,
    };
  }
}
