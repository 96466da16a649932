/**
 * Section: costs per environment and hosting option, with Cairn's figures (the same as `cairn cost`)
 * and the catalog's date. French texts of the cost lines come from the cost phrasebook.
 */
import type { OptionCost } from "../../cost/types.js";
import type { Stack } from "../../model/types.js";
import { type Blocks, code } from "../document.js";
import { costFrench } from "../i18n/cost-fr.js";
import type { Words } from "../i18n/words.js";
import type { CatalogDates } from "./context.js";

/** A text of the cost report in the guide's language. */
export function costText(w: Words, kind: "item" | "unit" | "sentence", text: string): string {
  return w.lang === "en" ? text : (costFrench(kind, text) ?? text);
}

/** The catalog line: its date, its oldest price, and a warning when it is old. */
export function catalogParagraph(b: Blocks, w: Words, catalog: CatalogDates): void {
  b.p(w.t("guide.costs.catalog", { date: w.date(catalog.date), oldest: w.date(catalog.oldest) }));
  if (catalog.stale) b.p(w.t("guide.costs.stale", { date: w.date(catalog.date) }));
}

function option(b: Blocks, w: Words, cost: OptionCost): void {
  b.h(3, w.t("guide.costs.option", { env: cost.environment, option: cost.option, total: w.usd(cost.total) }));
  if (!cost.lines.length) b.p(w.t("guide.costs.noLines"));
  else
    b.table(
      [w.t("col.service"), w.t("col.item"), w.t("col.quantity"), w.t("col.unit"), w.t("col.unitPrice"), w.t("col.monthly")],
      [
        ...cost.lines.map((l) => [
          l.service,
          costText(w, "item", l.item),
          w.number(l.quantity, 3),
          costText(w, "unit", l.unit),
          w.number(l.unitPrice, 8),
          w.usd(l.monthly),
        ]),
        [w.t("guide.costs.total"), "", "", "", "", w.usd(cost.total)],
      ],
      [2, 4, 5],
    );
  const notes = cost.lines
    .filter((l) => l.note)
    .map((l) => w.t("guide.costs.noteLine", { what: `${l.service}, ${costText(w, "item", l.item)}`, note: costText(w, "sentence", l.note ?? "") }));
  if (notes.length) b.p(w.t("guide.costs.notes")).items(notes);
  if (cost.assumptions.length) b.p(w.t("guide.costs.assumptions")).items(cost.assumptions.map((a) => costText(w, "sentence", a)));
  if (cost.notPriced.length)
    b.p(w.t("guide.costs.notPriced")).items(
      cost.notPriced.map((x) => w.t("guide.costs.noteLine", { what: code(x.component), note: costText(w, "sentence", x.reason) })),
    );
  if (cost.missing.length) b.p(w.t("guide.costs.missing", { items: cost.missing.map((m) => code(`${m.service} ${m.sku} ${m.region}`)).join(", ") }));
}

/** Costs of one environment on each of its options. */
export function costs(b: Blocks, stack: Stack, w: Words, list: readonly OptionCost[], catalog: CatalogDates): void {
  b.h(2, w.t("guide.costs"));
  catalogParagraph(b, w, catalog);
  b.p(w.t("guide.costs.command", { command: code(`cairn cost --env ${stack.environment.name}`) }));
  for (const c of list) option(b, w, c);
}

/** The phases side by side: one row per environment and option, with its monthly total. */
export function phaseTable(b: Blocks, w: Words, list: readonly OptionCost[]): void {
  b.table(
    [w.t("col.environment"), w.t("col.option"), w.t("col.monthly")],
    list.map((c) => [code(c.environment), code(c.option), w.usd(c.total)]),
    [2],
  );
}
