/** Showing USD amounts in another currency at a rate the user gives (the catalog holds none). Pure. */
import { CostInputError } from "./errors.js";
import { cents } from "./lines.js";
import type { CurrencyView } from "./types.js";

export const USD: CurrencyView = { code: "USD", rate: 1 };

/** The view for `--currency` and `--rate`; EUR without a rate is an error, as is a rate that is not a positive number. */
export function currencyView(code: string | undefined, rate: string | number | undefined): CurrencyView {
  const upper = (code ?? "USD").toUpperCase();
  const parsed = rate === undefined ? undefined : Number(rate);
  if (parsed !== undefined && (!Number.isFinite(parsed) || parsed <= 0)) {
    throw new CostInputError(`--rate must be a positive number (got "${rate}")`, "For example --currency EUR --rate 0.92 (EUR per USD).");
  }
  if (upper === "USD") return USD;
  if (upper !== "EUR") throw new CostInputError(`unknown currency "${code}"`, "Use --currency USD (the catalog's) or --currency EUR --rate R.");
  if (parsed === undefined) {
    throw new CostInputError(
      "--currency EUR needs --rate: the catalog is in USD and holds no exchange rate",
      "Give the rate you want, in EUR per USD: --currency EUR --rate 0.92.",
    );
  }
  return { code: "EUR", rate: parsed };
}

/** A USD amount in the view's currency, to the cent. */
export const convert = (usd: number, view: CurrencyView): number => (view.rate === 1 ? usd : cents(usd * view.rate));
