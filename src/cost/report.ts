/** The JSON form of a cost report: the same lines as the table, with USD and view amounts. Pure. */
import type { PriceBook } from "./catalog.js";
import { convert } from "./currency.js";
import type { CostDiff } from "./diff.js";
import { totalIn } from "./format.js";
import type { CurrencyView, OptionCost } from "./types.js";

export interface CostJson {
  readonly stack: string;
  readonly catalog: { readonly date: string; readonly oldest: string; readonly origin: string; readonly warning: string | null; readonly overrides: number };
  readonly currency: CurrencyView;
  readonly options: readonly unknown[];
  readonly summary: readonly { environment: string; option: string; total: number; totalUsd: number; complete: boolean }[];
  readonly diffs?: readonly CostDiff[];
}

/** Builds the JSON report. */
export function costJson(
  stack: string,
  costs: readonly OptionCost[],
  book: PriceBook,
  warning: string | null,
  view: CurrencyView,
  diffs?: readonly CostDiff[],
): CostJson {
  return {
    stack,
    catalog: {
      date: book.date,
      oldest: book.oldest,
      origin: `AWS public pricing, published ${book.oldest} to ${book.date}`,
      warning,
      overrides: book.overrides,
    },
    currency: view,
    options: costs.map((c) => ({
      ...c,
      lines: c.lines.map((l) => ({
        ...l,
        unitPrice: Number((l.unitPrice * view.rate).toPrecision(10)),
        unitPriceUsd: l.unitPrice,
        monthly: convert(l.monthly, view),
        monthlyUsd: l.monthly,
      })),
      total: totalIn(c, view),
      totalUsd: c.total,
    })),
    summary: costs.map((c) => ({ environment: c.environment, option: c.option, total: totalIn(c, view), totalUsd: c.total, complete: c.missing.length === 0 })),
    ...(diffs ? { diffs } : {}),
  };
}
