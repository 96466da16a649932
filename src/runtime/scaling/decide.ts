/**
 * The scaling decision, pure: target tracking as ECS service autoscaling and the Kubernetes HPA do it.
 * Each metric with a target proposes `ceil(replicas * value / target)`; the largest proposal wins (a
 * service scales in only when every metric agrees), bounded by `min` and `max`. A scale-out waits for
 * the scale-out cooldown since the last scale-out; a scale-in waits for the scale-in cooldown since the
 * last change either way. The policy is the model's `Scale`: the same targets and cooldowns every
 * target builds from, no second table.
 */
import type { Scale } from "../../model/types.js";

/** Within this fraction of the target nothing changes (the HPA's default tolerance), against flapping. */
export const TOLERANCE = 0.1;

/** Average use of the ready replicas, in percent of what each reserves (`size`), as ECS reports it. */
export interface Utilization {
  readonly cpu: number | null;
  readonly memory: number | null;
}

/** When the service last scaled (ms since the epoch), or null. */
export interface ScaleHistory {
  readonly lastOutAt: number | null;
  readonly lastInAt: number | null;
}

export type ScaleVerdict =
  | { readonly action: "out" | "in"; readonly to: number; readonly reason: string }
  | { readonly action: "hold"; readonly to: number; readonly reason: string };

/** Fewest replicas a running service keeps: `min`, and at least one (as the k8s target's HPA). */
export const floorOf = (scale: Scale): number => Math.max(1, scale.min);

function proposal(replicas: number, value: number, target: number): number {
  const ratio = value / target;
  if (Math.abs(ratio - 1) <= TOLERANCE) return replicas;
  return Math.ceil(replicas * ratio);
}

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;

/** What to do with a service that runs `replicas` now, given its use and when it last scaled. */
export function decideScale(scale: Scale, replicas: number, use: Utilization, history: ScaleHistory, now: number): ScaleVerdict {
  const floor = floorOf(scale);
  const ceiling = Math.max(floor, scale.max);
  if (replicas < floor) return { action: "out", to: floor, reason: `below min ${floor}` };
  if (replicas > ceiling) return { action: "in", to: ceiling, reason: `above max ${ceiling}` };
  const metrics = (["cpu", "memory"] as const)
    .map((name) => ({ name, target: scale[name], value: use[name] }))
    .filter((m): m is { name: "cpu" | "memory"; target: number; value: number } => m.target !== null && m.value !== null && m.target > 0);
  if (!metrics.length) return { action: "hold", to: replicas, reason: "no measured metric with a target" };
  const proposals = metrics.map((m) => ({ ...m, to: proposal(replicas, m.value, m.target) }));
  const lead = proposals.reduce((a, b) => (b.to > a.to ? b : a));
  const to = Math.min(ceiling, Math.max(floor, lead.to));
  const why = `${lead.name} ${round(lead.value)}% ${lead.value > lead.target ? ">" : "<"} target ${lead.target}%`;
  if (to > replicas) {
    const wait = history.lastOutAt === null ? 0 : history.lastOutAt + scale.cooldownOutMs - now;
    if (wait > 0) return { action: "hold", to: replicas, reason: `${why}; scale-out cooldown, ${seconds(wait)} left` };
    return { action: "out", to, reason: why };
  }
  if (to < replicas) {
    const last = Math.max(history.lastOutAt ?? Number.NEGATIVE_INFINITY, history.lastInAt ?? Number.NEGATIVE_INFINITY);
    const wait = last + scale.cooldownInMs - now;
    if (wait > 0) return { action: "hold", to: replicas, reason: `${why}; scale-in cooldown, ${seconds(wait)} left` };
    const all = proposals.map((p) => `${p.name} ${round(p.value)}%`).join(", ");
    return { action: "in", to, reason: `${all} below target${proposals.length > 1 ? "s" : ` ${lead.target}%`}` };
  }
  return { action: "hold", to: replicas, reason: replicas === ceiling && lead.to > replicas ? `${why}; at max ${ceiling}` : "on target" };
}

export const round = (n: number) => Math.round(n * 10) / 10;
