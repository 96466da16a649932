/** Building report lines from the price book: one place rounds, records the SKU and collects missing prices. */
import type { PriceBook } from "./catalog.js";
import type { CostLine, MissingPrice, NotPriced } from "./types.js";

/** Rounds to the cent (half away from zero), so totals are sums of what is printed. */
export const cents = (usd: number): number => Math.round((usd + Number.EPSILON) * 100) / 100;

/** Gigabytes (10^9 bytes), the unit AWS bills storage and transfer in. */
export const gb = (bytes: number): number => bytes / 1e9;

export interface PricedLine {
  readonly components: readonly string[];
  readonly service: string;
  readonly item: string;
  readonly price: { readonly service: string; readonly sku: string; readonly region: string };
  readonly quantity: number;
  /** Shown instead of the catalog unit when the quantity is in other units (e.g. hours x instances). */
  readonly unit?: string;
  readonly note?: string | null;
}

/** Collects lines, free/not-priced parts, assumptions and missing prices for one option. */
export class Bill {
  readonly lines: CostLine[] = [];
  readonly notPriced: NotPriced[] = [];
  readonly assumptions: string[] = [];
  readonly missing: MissingPrice[] = [];

  constructor(readonly book: PriceBook) {}

  /** Adds a line priced from the catalog; a price it lacks is recorded as missing, never as zero. */
  add(spec: PricedLine): void {
    const { service, sku, region } = spec.price;
    const price = this.book.find(service, sku, region);
    if (!price) {
      const known = this.missing.some((m) => m.service === service && m.sku === sku && m.region === region);
      if (!known) this.missing.push({ service, sku, region, component: spec.components[0] ?? spec.service, line: `${spec.service}: ${spec.item}` });
      for (const c of spec.components) this.skip(c, `${spec.service} ${spec.item}: no price for ${service} "${sku}" in ${region} (see missing prices)`);
      return;
    }
    this.lines.push({
      components: spec.components,
      service: spec.service,
      item: spec.item,
      quantity: round6(spec.quantity),
      unit: spec.unit ?? price.unit,
      unitPrice: price.usd,
      monthly: cents(spec.quantity * price.usd),
      // A price from the user's file says so where the line is read.
      note: price.origin.startsWith("AWS public pricing") ? (spec.note ?? null) : [spec.note, `price from ${price.origin}`].filter(Boolean).join("; "),
      sku: { service, sku, region },
      published: price.source_date,
      origin: price.origin,
    });
  }

  /** Adds a line with a fixed monthly amount (extra costs written in the file). */
  addFixed(line: Omit<CostLine, "monthly" | "sku" | "published" | "origin">): void {
    this.lines.push({ ...line, monthly: cents(line.quantity * line.unitPrice), sku: null, published: null, origin: "the stack file (extra_costs)" });
  }

  skip(component: string, reason: string): void {
    this.notPriced.push({ component, reason });
  }

  assume(text: string): void {
    if (!this.assumptions.includes(text)) this.assumptions.push(text);
  }

  get total(): number {
    return cents(this.lines.reduce((sum, l) => sum + l.monthly, 0));
  }
}

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;
