/** The cost report as text: an aligned table per environment and option, then a summary. Pure. */
import type { Target } from "../model/types.js";
import { bullet, TERMINAL_WIDTH, table } from "../text/table.js";
import { convert } from "./currency.js";
import type { CostDiff } from "./diff.js";
import type { CurrencyView, MissingPrice, OptionCost } from "./types.js";

const MONEY = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const QUANTITY = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });

/** Money with thousands separators and two decimals. */
export const money = (n: number): string => MONEY.format(n);

/** A unit price without exponent or trailing zeros (0.0000012, 0.0472). */
export function unitPrice(n: number): string {
  if (n === 0) return "0";
  const digits = Math.max(2, Math.min(12, 4 - Math.floor(Math.log10(Math.abs(n)))));
  return n
    .toFixed(digits)
    .replace(/(\.\d*?[1-9])0+$/, "$1")
    .replace(/\.0+$/, "");
}

const quantity = (n: number): string => QUANTITY.format(n);

export const missingText = (m: MissingPrice): string => `${m.service} "${m.sku}" in ${m.region} (for ${m.line})`;

/** How wide the report may be: 100 columns, or no limit (`--wide`, every note in its own column). */
export interface ReportLayout {
  readonly width: number;
}

export const NARROW: ReportLayout = { width: TERMINAL_WIDTH };
export const WIDE: ReportLayout = { width: Number.POSITIVE_INFINITY };

function lineTable(cost: OptionCost, view: CurrencyView, layout: ReportLayout): string[] {
  const wide = !Number.isFinite(layout.width);
  const head = ["SERVICE", "ITEM", "QUANTITY", "UNIT", `UNIT ${view.code}`, `MONTHLY ${view.code}`, ...(wide ? ["NOTE"] : [])];
  const rows = [head];
  for (const l of cost.lines) {
    const cells = [l.service, l.item, quantity(l.quantity), l.unit, unitPrice(l.unitPrice * view.rate), money(convert(l.monthly, view))];
    rows.push(wide ? [...cells, l.note ?? ""] : cells);
  }
  rows.push(["TOTAL", "", "", "", "", money(totalIn(cost, view)), ...(wide ? [""] : [])]);
  const out = [table(rows, { right: [2, 4, 5], indent: "  ", width: layout.width, wrap: wide ? 6 : 1 })];
  // In 100 columns the notes follow the table, each under the line it explains.
  const notes = wide ? [] : cost.lines.filter((l) => l.note).map((l) => `${l.service}, ${l.item}: ${l.note}`);
  if (notes.length) out.push("  Notes:", ...notes.map((n) => bullet(n, layout.width)));
  return out;
}

/** One environment on one option: lines, total, assumptions, what is free or not priced. */
export function renderOption(cost: OptionCost, view: CurrencyView, stackName: string, layout: ReportLayout = NARROW): string {
  const incomplete = cost.missing.length ? " · INCOMPLETE" : "";
  const out: string[] = [`${stackName} · ${cost.environment} · ${cost.option} (${cost.region})${incomplete}`];
  if (cost.lines.length) out.push(...lineTable(cost, view, layout));
  else out.push(`  no cloud lines · total ${money(0)} ${view.code}`);
  if (cost.missing.length) out.push("  Missing prices (this option's total is incomplete):", ...cost.missing.map((m) => bullet(missingText(m), layout.width)));
  if (cost.assumptions.length) out.push("  Assumptions:", ...cost.assumptions.map((a) => bullet(a, layout.width)));
  if (cost.notPriced.length) {
    // Parts with the same reason share one line (locally, everything runs on this machine).
    const byReason = new Map<string, string[]>();
    for (const n of cost.notPriced) byReason.set(n.reason, [...(byReason.get(n.reason) ?? []), n.component]);
    out.push("  Free or not priced:", ...[...byReason].map(([reason, parts]) => bullet(`${parts.join(", ")}: ${reason}`, layout.width)));
  }
  return out.join("\n");
}

/** The total in the view's currency: the sum of the converted lines, so it matches the column. */
export function totalIn(cost: OptionCost, view: CurrencyView): number {
  return Math.round(cost.lines.reduce((s, l) => s + convert(l.monthly, view), 0) * 100) / 100;
}

/** Environments x options, totals per month. */
export function renderSummary(costs: readonly OptionCost[], view: CurrencyView): string {
  const options: Target[] = [];
  for (const c of costs) if (!options.includes(c.option)) options.push(c.option);
  const envs = [...new Set(costs.map((c) => c.environment))];
  const rows = [["ENVIRONMENT", ...options]];
  for (const env of envs) {
    rows.push([
      env,
      ...options.map((o) => {
        const c = costs.find((x) => x.environment === env && x.option === o);
        if (!c) return "-";
        return `${money(totalIn(c, view))}${c.missing.length ? " (incomplete)" : ""}`;
      }),
    ]);
  }
  return [`Summary (${view.code} per month)`, table(rows, { right: options.map((_, i) => i + 1), indent: "  " })].join("\n");
}

/** A diff as text: changed lines, then the totals. */
export function renderDiff(diff: CostDiff, view: CurrencyView, labels: { before: string; after: string }): string {
  const sign = (n: number) => `${n > 0 ? "+" : ""}${money(n)}`;
  const head = `${labels.before} -> ${labels.after}`;
  const rows = [["SERVICE", "BEFORE", "AFTER", `BEFORE ${view.code}`, `AFTER ${view.code}`, "CHANGE"]];
  for (const r of diff.rows) {
    rows.push([
      r.service,
      r.before ?? "(none)",
      r.after ?? "(none)",
      money(convert(r.beforeMonthly, view)),
      money(convert(r.afterMonthly, view)),
      sign(convert(r.delta, view)),
    ]);
  }
  const pct = diff.percent === null ? "" : ` (${diff.percent > 0 ? "+" : ""}${diff.percent}%)`;
  rows.push(["TOTAL", "", "", money(convert(diff.before.total, view)), money(convert(diff.after.total, view)), `${sign(convert(diff.delta, view))}${pct}`]);
  const layout = { right: [3, 4, 5], indent: "  ", width: TERMINAL_WIDTH, wrap: [1, 2] };
  return [head, diff.rows.length ? table(rows, layout) : "  no change", ...(diff.rows.length ? [] : [table(rows.slice(-1), layout)])].join("\n");
}
