/**
 * The runner's measuring loop: every `intervalMs` it samples the replicas' CPU and memory once, lets the
 * autoscaler decide on each scaled service, and steps the stack's alarms on the same samples plus the
 * gateway's health and request figures. Time comes from the injected clock.
 */

import { type RequestWindows, samplesFrom } from "../alarms/samples.js";
import { AlarmWatch } from "../alarms/watch.js";
import { Autoscaler, type ScalingActuator } from "../scaling/autoscaler.js";
import { type ServiceUsage, UsageSampler } from "../scaling/usage.js";
import type { Clock } from "../scheduler/clock.js";
import type { StackRunner } from "./runner.js";

/** How often the local run measures, decides and evaluates: the HPA syncs every 15 s, CloudWatch per minute. */
export const MONITOR_INTERVAL_MS = 5_000;

export interface MonitorOptions {
  readonly clock: Clock;
  readonly intervalMs?: number;
  readonly actuator: ScalingActuator;
  /** Requests over the last minute by service and for the edge; null when nothing measures them. */
  readonly requests: () => RequestWindows | null;
}

export class Monitor {
  readonly autoscaler: Autoscaler;
  readonly alarms = new AlarmWatch();
  private readonly sampler = new UsageSampler();
  private cancel: (() => void) | null = null;
  private closed = false;
  private last: ReadonlyMap<string, ServiceUsage> = new Map();

  constructor(
    private readonly runner: StackRunner,
    private readonly options: MonitorOptions,
  ) {
    this.autoscaler = new Autoscaler({ actuator: options.actuator, now: () => options.clock.now().getTime() });
  }

  /** Takes a first reading now (CPU needs two), then one every interval. */
  start(): void {
    this.tick();
  }

  /** The last reading of each running service. */
  usage(): ReadonlyMap<string, ServiceUsage> {
    return this.last;
  }

  private tick(): void {
    if (this.closed) return;
    try {
      this.measure();
    } catch (error) {
      this.runner.note(`measuring: ${(error as Error).message}`);
    }
    this.cancel = this.options.clock.setTimer(() => this.tick(), this.options.intervalMs ?? MONITOR_INTERVAL_MS);
  }

  private measure(): void {
    const { supervisor, gateway } = this.runner.parts;
    if (!supervisor) return;
    const running = supervisor.names().flatMap((name) => {
      const service = supervisor.service(name);
      return service ? [{ service, replicas: supervisor.replicas(name) }] : [];
    });
    this.last = this.sampler.sample(running);
    const stack = this.runner.stack;
    this.autoscaler.tick(stack.services, this.last);
    const healthyHosts = new Map((gateway?.status() ?? []).map((s) => [s.service, s.targets.filter((t) => t.healthy).length]));
    const requests = this.options.requests();
    this.alarms.evaluate(stack, samplesFrom({ usage: this.last, healthyHosts, requests }), this.options.clock.now().getTime(), requests !== null);
  }

  close(): void {
    this.closed = true;
    this.cancel?.();
  }
}
