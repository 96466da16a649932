/** Price records: validated from untrusted JSON, and assembled into a catalog. Pure. */
import type { CatalogFile, Price, PriceRecord } from "./types.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FIELDS = ["service", "sku", "region", "unit", "source", "source_date"] as const;

/** The result of reading records: what is valid, and one message per problem (with its index). */
export interface ParsedRecords {
  readonly records: PriceRecord[];
  readonly errors: string[];
}

/** Validates a JSON value as an array of price records (or `{ prices: [...] }`, as in a catalog file). */
export function parseRecords(value: unknown): ParsedRecords {
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.prices) ? value.prices : null;
  if (!list) return { records: [], errors: ["expected a JSON array of price records ({service, sku, region, unit, usd, source, source_date})"] };
  const records: PriceRecord[] = [];
  const errors: string[] = [];
  list.forEach((item: unknown, index: number) => {
    const problem = checkRecord(item);
    if (problem) errors.push(`record ${index + 1}: ${problem}`);
    else records.push(pick(item as PriceRecord));
  });
  if (list.length === 0) errors.push("the file holds no price records");
  return { records, errors };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkRecord(item: unknown): string | null {
  if (!isObject(item)) return "not an object";
  for (const field of FIELDS) {
    if (typeof item[field] !== "string" || item[field] === "") return `"${field}" must be a non-empty string`;
  }
  if (typeof item.usd !== "number" || !Number.isFinite(item.usd) || item.usd < 0) return `"usd" must be a number >= 0 (got ${JSON.stringify(item.usd)})`;
  if (!DATE.test(item.source_date as string) || Number.isNaN(Date.parse(item.source_date as string))) {
    return `"source_date" must be a date YYYY-MM-DD (got ${JSON.stringify(item.source_date)})`;
  }
  return null;
}

const pick = (r: PriceRecord): PriceRecord => ({
  service: r.service,
  sku: r.sku,
  region: r.region,
  unit: r.unit,
  usd: r.usd,
  source: r.source,
  source_date: r.source_date,
});

/** The key of a price: one price per service, SKU and region. */
export const priceKey = (service: string, sku: string, region: string): string => `${service}\u0000${sku}\u0000${region}`;

/** The origin line printed with a price. */
export const awsOrigin = (date: string): string => `AWS public pricing, published ${date}`;

/**
 * Builds the catalog from records: for a repeated service/SKU/region the newest publication wins
 * (the later record on a tie), so an update is the old records plus newer ones. Sorted, so the
 * same records always give the same bytes.
 */
export function buildCatalog(records: readonly PriceRecord[], origin: (date: string) => string = awsOrigin): CatalogFile {
  const byKey = new Map<string, PriceRecord>();
  for (const r of records) {
    const key = priceKey(r.service, r.sku, r.region);
    const old = byKey.get(key);
    if (!old || r.source_date >= old.source_date) byKey.set(key, r);
  }
  const prices: Price[] = [...byKey.values()]
    .map((r) => ({ ...pick(r), origin: origin(r.source_date) }))
    .sort((a, b) => a.service.localeCompare(b.service) || a.sku.localeCompare(b.sku) || a.region.localeCompare(b.region));
  const dates = prices.map((p) => p.source_date).sort();
  return { catalog: "cairn-aws-prices", currency: "USD", date: dates.at(-1) ?? "", oldest: dates[0] ?? "", prices };
}
