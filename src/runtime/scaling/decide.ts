/**
 * The scaling decision, pure: target tracking as ECS service autoscaling and the Kubernetes HPA do it.
 * Each metric with a target proposes `ceil(replicas * value / target)`; the largest proposal wins (a
 * service scales in only when every metric agrees), bounded by `min` and `max`.
 * - Scale-out, as ECS: at once, then not again before the scale-out cooldown has passed.
 * - Scale-in, as the HPA the k8s target builds (scale-in cooldown = its scale-down stabilization
 *   window): to the highest count proposed within the last scale-in cooldown, so a service scales in
 *   only once the load has stayed low for a whole cooldown, never sooner than that after a change.
 * The policy is the model's `Scale`: the same targets and cooldowns every target builds from.
 */
import type { Scale } from "../../model/types.js";

/** Within this fraction of the target nothing changes (the HPA's default tolerance), against flapping. */
export const TOLERANCE = 0.1;

/** Average use of the ready replicas, in percent of what each reserves (`size`), as ECS reports it. */
export interface Utilization {
  readonly cpu: number | null;
  readonly memory: number | null;
}

/** A count proposed at a time (ms since the epoch). */
export interface Proposal {
  readonly at: number;
  readonly to: number;
}

/** When the service last scaled out (ms since the epoch, or null), and the counts proposed lately. */
export interface ScaleHistory {
  readonly lastOutAt: number | null;
  /** Proposals of the last scale-in cooldown (older ones may be present; they are ignored). */
  readonly proposals: readonly Proposal[];
}

export interface ScaleVerdict {
  readonly action: "out" | "in" | "hold";
  readonly to: number;
  readonly reason: string;
  /** The count the metrics propose now, within bounds (null without a measure): the history keeps it. */
  readonly proposed: number | null;
}

/** Fewest replicas a running service keeps: `min`, and at least one (as the k8s target's HPA). */
export const floorOf = (scale: Scale): number => Math.max(1, scale.min);

function proposal(replicas: number, value: number, target: number): number {
  const ratio = value / target;
  if (Math.abs(ratio - 1) <= TOLERANCE) return replicas;
  return Math.ceil(replicas * ratio);
}

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;

/** What to do with a service that runs `replicas` now, given its use and its history. */
export function decideScale(scale: Scale, replicas: number, use: Utilization, history: ScaleHistory, now: number): ScaleVerdict {
  const floor = floorOf(scale);
  const ceiling = Math.max(floor, scale.max);
  if (replicas < floor) return { action: "out", to: floor, reason: `below min ${floor}`, proposed: null };
  if (replicas > ceiling) return { action: "in", to: ceiling, reason: `above max ${ceiling}`, proposed: null };
  const metrics = (["cpu", "memory"] as const)
    .map((name) => ({ name, target: scale[name], value: use[name] }))
    .filter((m): m is { name: "cpu" | "memory"; target: number; value: number } => m.target !== null && m.value !== null && m.target > 0);
  if (!metrics.length) return { action: "hold", to: replicas, reason: "no measured metric with a target", proposed: null };
  const proposals = metrics.map((m) => ({ ...m, to: proposal(replicas, m.value, m.target) }));
  const lead = proposals.reduce((a, b) => (b.to > a.to ? b : a));
  const proposed = Math.min(ceiling, Math.max(floor, lead.to));
  const why = `${lead.name} ${round(lead.value)}% ${lead.value > lead.target ? ">" : "<"} target ${lead.target}%`;
  const hold = (reason: string): ScaleVerdict => ({ action: "hold", to: replicas, reason, proposed });
  if (proposed > replicas) {
    const wait = history.lastOutAt === null ? 0 : history.lastOutAt + scale.cooldownOutMs - now;
    if (wait > 0) return hold(`${why}; scale-out cooldown, ${seconds(wait)} left`);
    return { action: "out", to: proposed, reason: why, proposed };
  }
  if (proposed < replicas) {
    const window = history.proposals.filter((p) => p.at > now - scale.cooldownInMs);
    const to = Math.max(proposed, ...window.map((p) => p.to));
    if (to >= replicas) {
      const since = Math.max(...window.filter((p) => p.to >= replicas).map((p) => p.at));
      return hold(`${why}; scale-in cooldown, ${seconds(since + scale.cooldownInMs - now)} left`);
    }
    const all = proposals.map((p) => `${p.name} ${round(p.value)}%`).join(", ");
    return { action: "in", to, reason: `${all} below target${proposals.length > 1 ? "s" : ` ${lead.target}%`}`, proposed };
  }
  if (replicas === ceiling && lead.to > replicas) return hold(`${why}; at max ${ceiling}`);
  return hold(replicas === floor && lead.value < lead.target * (1 - TOLERANCE) ? `${why}; at min ${floor}` : "on target");
}

export const round = (n: number) => Math.round(n * 10) / 10;
