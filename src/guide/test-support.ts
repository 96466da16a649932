/**
 * Test helpers for the guide: the example stacks, the shipped price catalog, and a guide built the
 * way `cairn docs` builds it (with a fixed date, so no test depends on the day it runs).
 */
import { readFileSync } from "node:fs";
import { priceBook, readCatalog } from "../cost/catalog.js";
import { hasErrors, loadStack } from "../load/load.js";
import type { Stack } from "../model/types.js";
import { buildGuide, type Guide } from "./guide.js";
import type { Lang } from "./i18n/words.js";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const EXAMPLES = ["minimal", "mangetamain", "cityflow", "harena", "forestguard"] as const;

/** The shipped catalog as a price book. */
export function shippedBook() {
  const parsed = readCatalog(JSON.parse(readFileSync(new URL("../../catalog/aws-prices.json", import.meta.url), "utf8")));
  if (!("catalog" in parsed)) throw new Error(parsed.errors.join("; "));
  return priceBook(parsed.catalog);
}

/** Every environment of an example. */
export async function exampleStacks(name: string): Promise<Stack[]> {
  const analysis = await loadStack(`examples/${name}`, ROOT, { lint: false });
  if (hasErrors(analysis)) throw new Error(`${name} has errors`);
  return [...analysis.stacks.values()];
}

/** The guide of an example: every phase, or one environment. */
export async function exampleGuide(name: string, lang: Lang, env?: string): Promise<Guide> {
  const all = await exampleStacks(name);
  const stacks = env ? all.filter((s) => s.environment.name === env) : all;
  const book = shippedBook();
  return buildGuide({
    stacks,
    all: env === undefined,
    lang,
    book,
    catalog: { date: book.date, oldest: book.oldest, stale: false },
    where: { path: `examples/${name}` },
    fileBase: name,
  });
}
