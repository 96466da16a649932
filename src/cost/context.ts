/** What every estimator shares: the stack, the option, the bill and where each resource lives. Pure. */
import type { Placement, Stack, TargetName } from "../model/types.js";
import type { Bill } from "./lines.js";
import { placementOn } from "./placement.js";

export interface PricingContext {
  readonly stack: Stack;
  readonly option: TargetName;
  readonly region: string;
  /** Hours a month the stack runs (usage.hours, 730 by default). */
  readonly hours: number;
  readonly bill: Bill;
  readonly placements: ReadonlyMap<string, Placement>;
  /** EUR per USD when the user gave one (needed for extra costs written in EUR). */
  readonly rate: number | null;
}

export const serviceId = (name: string) => `service:${name}`;
export const jobId = (name: string) => `job:${name}`;
export const resourceId = (name: string) => `resource:${name}`;
export const secretId = (name: string) => `secret:${name}`;
export const alarmId = (source: string) => `alarm:${source}`;
export const extraId = (name: string) => `extra:${name}`;

/** Every part of the model a report must account for, as a line or as "free / not priced". */
export function componentsOf(stack: Stack): string[] {
  return [
    ...stack.services.map((s) => serviceId(s.name)),
    ...stack.jobs.map((j) => jobId(j.name)),
    ...stack.resources.map((r) => resourceId(r.name)),
    ...stack.secrets.map((s) => secretId(s.name)),
    ...stack.alarms.map((a) => alarmId(a.source)),
    ...stack.environment.extraCosts.map((c) => extraId(c.name)),
    "edge",
    "logs",
    "data-out",
    ...(stack.environment.domain ? ["domain"] : []),
  ];
}

/** Builds the context for one option, placing resources for it and saying so when that moved one. */
export function contextFor(stack: Stack, option: TargetName, bill: Bill, rate: number | null): PricingContext {
  const placements = new Map<string, Placement>();
  for (const r of stack.resources) {
    const { placement, changed } = placementOn(stack, r, option);
    placements.set(r.name, placement);
    if (changed) {
      bill.assume(
        `${r.name}: ${placement === "managed" ? "a managed service" : "runs beside the app"} on ${option} (the file places it ${r.placement} on ${stack.environment.target}; set managed: to choose).`,
      );
    }
  }
  return { stack, option, region: stack.environment.region, hours: stack.environment.usage.hours, bill, placements, rate };
}

/** Names of resources running on the machines (databases and caches beside the app). */
export const selfHosted = (ctx: PricingContext): string[] => ctx.stack.resources.filter((r) => ctx.placements.get(r.name) === "self").map((r) => r.name);

/** Formats a number for prose in assumptions and notes. */
export const fmt = (n: number): string => TWO_DIGITS.format(n);
// One formatter, built once: toLocaleString builds a new one on every call, which dominates large stacks.
const TWO_DIGITS = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
