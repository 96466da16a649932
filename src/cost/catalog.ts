/** The price book: the catalog plus the user's overrides, looked up by service, SKU and region. Pure. */
import { parseRecords, priceKey } from "./records.js";
import type { CatalogFile, Price, PriceRecord } from "./types.js";

/** Prices by key, with the catalog's dates. */
export interface PriceBook {
  readonly date: string;
  readonly oldest: string;
  /** How many prices came from `--prices`. */
  readonly overrides: number;
  readonly overrideSource: string | null;
  find(service: string, sku: string, region: string): Price | undefined;
}

/** Reads a parsed catalog file; returns the problems instead when it is not one. */
export function readCatalog(value: unknown): { catalog: CatalogFile } | { errors: string[] } {
  const v = value as Partial<CatalogFile> | null;
  if (v?.catalog !== "cairn-aws-prices" || typeof v.date !== "string")
    return { errors: ['not a Cairn price catalog (expected "catalog": "cairn-aws-prices" and a "date")'] };
  const parsed = parseRecords(v);
  if (parsed.errors.length) return { errors: parsed.errors };
  const prices = (v.prices ?? []) as Price[];
  return { catalog: { catalog: "cairn-aws-prices", currency: "USD", date: v.date, oldest: v.oldest ?? v.date, prices } };
}

/** A price book over the catalog, with `overrides` (from `--prices FILE`) replacing or adding prices. */
export function priceBook(catalog: CatalogFile, overrides: readonly PriceRecord[] = [], overrideSource: string | null = null): PriceBook {
  const map = new Map<string, Price>();
  for (const p of catalog.prices) map.set(priceKey(p.service, p.sku, p.region), p);
  for (const r of overrides) {
    map.set(priceKey(r.service, r.sku, r.region), { ...r, origin: `${overrideSource ?? "--prices"}, published ${r.source_date}` });
  }
  return {
    date: catalog.date,
    oldest: catalog.oldest,
    overrides: overrides.length,
    overrideSource,
    find: (service, sku, region) => map.get(priceKey(service, sku, region)),
  };
}

/** Whole months between two dates (floor). */
export function monthsBetween(from: string, to: Date): number {
  const d = new Date(`${from}T00:00:00Z`);
  let months = (to.getUTCFullYear() - d.getUTCFullYear()) * 12 + (to.getUTCMonth() - d.getUTCMonth());
  if (to.getUTCDate() < d.getUTCDate()) months -= 1;
  return months;
}

/** The freshness line every report carries, and a warning once the catalog is more than 12 months old. */
export function freshness(book: PriceBook, now: Date): { line: string; warning: string | null } {
  const age = monthsBetween(book.date, now);
  const extra = book.overrides ? `; ${book.overrides} price(s) from ${book.overrideSource}` : "";
  const line = `Prices: AWS public pricing (USD, on-demand), catalog dated ${book.date} (oldest price ${book.oldest})${extra}.`;
  const limit = new Date(`${book.date}T00:00:00Z`);
  limit.setUTCFullYear(limit.getUTCFullYear() + 1);
  const warning =
    now.getTime() > limit.getTime()
      ? `The price catalog is ${age} months old (dated ${book.date}): list prices may have changed. Update it (npm run catalog) or pass newer prices with --prices FILE.`
      : null;
  return { line, warning };
}
