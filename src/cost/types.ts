/**
 * Types of `cairn cost`: price records, the catalog built from them, and the report lines.
 * Every amount is in USD per month unless a view converts it for display.
 */
import type { TargetName } from "../model/types.js";

/** One list price as published: the format of `catalog/records/*.json` and of `--prices FILE`. */
export interface PriceRecord {
  readonly service: string;
  readonly sku: string;
  readonly region: string;
  readonly unit: string;
  readonly usd: number;
  /** Where the number was read (a price file, a page). */
  readonly source: string;
  /** Publication date of that source, YYYY-MM-DD. */
  readonly source_date: string;
}

/** A price in the catalog: the record plus its human origin line. */
export interface Price extends PriceRecord {
  /** "AWS public pricing, published <date>", or the user's file for `--prices`. */
  readonly origin: string;
}

/** The catalog file (`catalog/aws-prices.json`). */
export interface CatalogFile {
  readonly catalog: "cairn-aws-prices";
  readonly currency: "USD";
  /** Newest publication date among the prices: the catalog's date. */
  readonly date: string;
  /** Oldest publication date among the prices. */
  readonly oldest: string;
  readonly prices: readonly Price[];
}

/** Which price a line uses. */
export interface SkuRef {
  readonly service: string;
  readonly sku: string;
  readonly region: string;
}

/** A price the catalog does not hold: reported, never priced as zero. */
export interface MissingPrice extends SkuRef {
  readonly component: string;
  /** The line it would have priced. */
  readonly line: string;
}

export interface CostLine {
  /** Model parts this line prices (`service:api`, `resource:db`, `edge`, `extra:Datadog`...). */
  readonly components: readonly string[];
  /** The cloud service or vendor (EC2, RDS, Fargate...). */
  readonly service: string;
  /** What is bought, in words. */
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  /** USD per unit. */
  readonly unitPrice: number;
  /** USD per month, rounded to the cent. */
  readonly monthly: number;
  readonly note: string | null;
  /** The catalog price used, or null for extra costs from the file. */
  readonly sku: SkuRef | null;
  readonly published: string | null;
  /** Where the price comes from ("AWS public pricing, published <date>", the --prices file, or the stack file). */
  readonly origin: string;
}

/** A model part that adds no line, with the reason (runs on the VM, external, free...). */
export interface NotPriced {
  readonly component: string;
  readonly reason: string;
}

/** The price of one environment on one hosting option. */
export interface OptionCost {
  readonly environment: string;
  readonly option: TargetName;
  readonly region: string;
  readonly lines: readonly CostLine[];
  readonly notPriced: readonly NotPriced[];
  readonly assumptions: readonly string[];
  readonly missing: readonly MissingPrice[];
  /** Sum of the lines, USD per month. */
  readonly total: number;
}

/** How a report shows money. */
export interface CurrencyView {
  readonly code: "USD" | "EUR";
  /** Units of `code` per USD (1 for USD). */
  readonly rate: number;
}
