/**
 * The scaling policy at work: at each tick, every service with `scale` gets a decision (decide.ts) from
 * its measured use; a change is carried out by the actuator (the stack runner adds or removes replicas
 * and tells the gateway) one service change at a time, and recorded in a bounded list.
 */
import type { Service } from "../../model/types.js";
import { decideScale, floorOf, type ScaleHistory, type ScaleVerdict, type Utilization } from "./decide.js";

/** Most decisions kept; older ones are dropped. */
export const DECISIONS_KEPT = 100;

/** One change of a service's replica count, as `cairn ps --json` and the console show it. */
export interface ScalingDecision {
  /** ISO time of the decision. */
  readonly at: string;
  readonly service: string;
  readonly from: number;
  readonly to: number;
  /** Average use of reserved CPU and memory, in percent, when it was decided. */
  readonly cpu: number | null;
  readonly memory: number | null;
  readonly reason: string;
  /** "scaling" while replicas start or stop, then "done", or "failed" with `error`. */
  readonly outcome: "scaling" | "done" | "failed";
  readonly error: string | null;
}

/** A scaled service right now. */
export interface ServiceScaling {
  readonly service: string;
  readonly min: number;
  readonly max: number;
  readonly replicas: number;
  /** Targets of the policy, in percent. */
  readonly targets: { readonly cpu: number | null; readonly memory: number | null };
  readonly cooldownOutMs: number;
  readonly cooldownInMs: number;
  /** The last measured use (percent of reserved), null before the first measure. */
  readonly cpu: number | null;
  readonly memory: number | null;
  /** What the policy says now: "on target", a cooldown and its time left, a change under way. */
  readonly status: string;
}

/** How the autoscaler changes a service (the stack runner's side). */
export interface ScalingActuator {
  /** Brings the service to `to` replicas; rejects with the cause when it cannot. */
  scaleTo(service: string, to: number): Promise<void>;
}

export interface AutoscalerOptions {
  readonly actuator: ScalingActuator;
  /** Milliseconds since the epoch (injected in tests). */
  readonly now: () => number;
  readonly kept?: number;
}

export class Autoscaler {
  private readonly history = new Map<string, ScaleHistory>();
  private readonly state = new Map<string, ServiceScaling>();
  private readonly busy = new Set<string>();
  private readonly list: ScalingDecision[] = [];
  private readonly listeners = new Set<(decision: ScalingDecision) => void>();
  private readonly startedAt: number;

  constructor(private readonly options: AutoscalerOptions) {
    this.startedAt = options.now();
  }

  /** Decides for every service with `scale`, from the replicas each runs and its measured use. */
  tick(services: readonly Service[], usage: ReadonlyMap<string, Utilization & { readonly count: number }>): void {
    const now = this.options.now();
    for (const name of this.state.keys()) if (!services.some((s) => s.name === name && s.scale)) this.state.delete(name);
    for (const service of services) {
      const scale = service.scale;
      const use = usage.get(service.name);
      if (!scale || !use) continue;
      // A stack just started waits a scale-in cooldown before its first scale-in: its count counts as proposed.
      const history = this.history.get(service.name) ?? { lastOutAt: null, proposals: [{ at: this.startedAt, to: use.count }] };
      const verdict: ScaleVerdict = this.busy.has(service.name)
        ? { action: "hold", to: use.count, reason: "changing replicas", proposed: null }
        : decideScale(scale, use.count, use, history, now);
      const proposals = [
        ...history.proposals.filter((p) => p.at > now - scale.cooldownInMs),
        ...(verdict.proposed === null ? [] : [{ at: now, to: verdict.proposed }]),
      ];
      this.history.set(service.name, { lastOutAt: verdict.action === "out" ? now : history.lastOutAt, proposals });
      this.state.set(service.name, {
        service: service.name,
        min: floorOf(scale),
        max: scale.max,
        replicas: use.count,
        targets: { cpu: scale.cpu, memory: scale.memory },
        cooldownOutMs: scale.cooldownOutMs,
        cooldownInMs: scale.cooldownInMs,
        cpu: use.cpu,
        memory: use.memory,
        status: verdict.action === "hold" ? verdict.reason : `scaling ${verdict.action} to ${verdict.to}: ${verdict.reason}`,
      });
      if (verdict.action === "hold") continue;
      const decision: ScalingDecision = {
        at: new Date(now).toISOString(),
        service: service.name,
        from: use.count,
        to: verdict.to,
        cpu: use.cpu,
        memory: use.memory,
        reason: verdict.reason,
        outcome: "scaling",
        error: null,
      };
      this.record(decision);
      this.busy.add(service.name);
      void this.options.actuator.scaleTo(service.name, verdict.to).then(
        () => this.settle(decision, { outcome: "done", error: null }),
        (error: Error) => this.settle(decision, { outcome: "failed", error: error.message }),
      );
    }
  }

  private settle(decision: ScalingDecision, end: Pick<ScalingDecision, "outcome" | "error">): void {
    this.busy.delete(decision.service);
    const i = this.list.indexOf(decision);
    const settled = { ...decision, ...end };
    if (i >= 0) this.list[i] = settled;
    for (const listener of this.listeners) listener(settled);
  }

  private record(decision: ScalingDecision): void {
    this.list.push(decision);
    if (this.list.length > (this.options.kept ?? DECISIONS_KEPT)) this.list.shift();
    for (const listener of this.listeners) listener(decision);
  }

  /** The decisions kept, oldest first. */
  decisions(): readonly ScalingDecision[] {
    return [...this.list];
  }

  /** Each scaled service as of the last tick, in stack order. */
  status(): readonly ServiceScaling[] {
    return [...this.state.values()];
  }

  /** Calls `listener` on each decision and again when it settles; returns the removal. */
  onDecision(listener: (decision: ScalingDecision) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
