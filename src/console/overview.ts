/**
 * The overview's facts: the stack's logical diagram (SVG, coloured live by the page from each box's
 * `data-id`), each environment's monthly cost on its own target, and the stack's alarms.
 */
import { readFile } from "node:fs/promises";
import { priceBook, readCatalog } from "../cost/catalog.js";
import { CATALOG_URL } from "../cost/catalog-location.js";
import { estimate, optionsFor } from "../cost/estimate.js";
import { svgOf } from "../diagram/render.js";
import { buildView } from "../diagram/views/index.js";
import { wordsFor } from "../guide/i18n/words.js";
import { loadStack } from "../load/load.js";
import type { Alarm, Stack } from "../model/types.js";

export interface EnvironmentCost {
  readonly environment: string;
  readonly target: string;
  /** USD per month; null when the environment is not priced (local). */
  readonly monthlyUsd: number | null;
  /** False when a price was missing from the catalog. */
  readonly complete: boolean;
}

/** An alarm as the page shows it; `state` is null until alarms are evaluated locally. */
export interface AlarmView {
  readonly text: string;
  readonly service: string | null;
  readonly state: string | null;
  readonly since: string | null;
}

/** The logical view of the running stack as SVG. */
export async function diagramSvg(stack: Stack): Promise<string> {
  const words = wordsFor("en");
  return svgOf(buildView(stack, "logical", words), words);
}

/** Every environment of the stack file priced on its own target, from the shipped catalog. */
export async function environmentCosts(file: string, root: string): Promise<EnvironmentCost[]> {
  const catalog = readCatalog(JSON.parse(await readFile(CATALOG_URL, "utf8")));
  if ("errors" in catalog) throw new Error(`the price catalog is damaged: ${catalog.errors[0]}`);
  const book = priceBook(catalog.catalog);
  const analysis = await loadStack(file, root, { lint: false });
  return [...analysis.stacks.values()].map((stack) => {
    const option = stack.environment.target === "local" ? undefined : optionsFor(stack, false)[0];
    if (!option) return { environment: stack.environment.name, target: stack.environment.target, monthlyUsd: null, complete: true };
    const cost = estimate(stack, option, book);
    return { environment: stack.environment.name, target: option, monthlyUsd: Math.round(cost.total * 100) / 100, complete: cost.missing.length === 0 };
  });
}

/** An alarm in the stack file's own words. */
export function alarmText(alarm: Alarm): string {
  return alarm.source;
}

const SEVERITY: Readonly<Record<string, number>> = { ALARM: 2, INSUFFICIENT_DATA: 1, OK: 0 };

/** Each alarm's state over its subjects (an alarm on every service is in ALARM when one of them is). */
export function worstStates(
  statuses: readonly { readonly alarm: string; readonly state: string; readonly since: string | null }[],
): Map<string, { state: string; since: string | null }> {
  const worst = new Map<string, { state: string; since: string | null }>();
  for (const s of statuses) {
    const kept = worst.get(s.alarm);
    if (!kept || (SEVERITY[s.state] ?? 0) > (SEVERITY[kept.state] ?? 0)) worst.set(s.alarm, { state: s.state, since: s.since });
  }
  return worst;
}

/** The stack's alarms, with the states an evaluator gives (by the alarm's text) when there is one. */
export function alarmViews(stack: Stack, states: ReadonlyMap<string, { state: string; since: string | null }> = new Map()): AlarmView[] {
  return stack.alarms.map((a) => {
    const found = states.get(a.source);
    return { text: alarmText(a), service: a.service, state: found?.state ?? null, since: found?.since ?? null };
  });
}
