import { describe, expect, it } from "vitest";
import { currencyView } from "./currency.js";
import { diffCosts } from "./diff.js";
import { money, renderDiff, renderOption, renderSummary, unitPrice, WIDE } from "./format.js";
import type { CostLine, OptionCost } from "./types.js";

const l = (service: string, item: string, monthly: number, unit = "hours"): CostLine => ({
  components: ["edge"],
  service,
  item,
  quantity: 730,
  unit,
  unitPrice: monthly / 730,
  monthly,
  note: null,
  sku: null,
  published: null,
  origin: "test",
});
const cost = (lines: CostLine[], environment = "prod"): OptionCost => ({
  environment,
  option: "vm",
  region: "eu-west-3",
  lines,
  notPriced: [{ component: "logs", reason: "kept on the machine's disk" }],
  assumptions: ["an assumption"],
  missing: [],
  total: Math.round(lines.reduce((s, x) => s + x.monthly, 0) * 100) / 100,
});

describe("text report", () => {
  it("formats money and unit prices without exponents", () => {
    expect(money(3460.07)).toBe("3,460.07");
    expect(unitPrice(0.0000012)).toBe("0.0000012");
    expect(unitPrice(0.0472)).toBe("0.0472");
    expect(unitPrice(20)).toBe("20");
  });
  it("fits 100 columns by default, notes under the table; --wide keeps them in a column", () => {
    const long = "a very long item name that would push the table far past the edge of any terminal window";
    const note = "a note long enough to need wrapping when the report must fit in a hundred columns of text, with more";
    const lines = [{ ...l("EC2", long, 34.46), note }];
    const narrow = renderOption(cost(lines), { code: "USD", rate: 1 }, "s");
    expect(Math.max(...narrow.split("\n").map((x) => x.length))).toBeLessThanOrEqual(100);
    expect(narrow).toContain("  Notes:\n    - EC2, a very long item name");
    expect(narrow).not.toMatch(/NOTE/);
    const wide = renderOption(cost(lines), { code: "USD", rate: 1 }, "s", WIDE);
    expect(wide).toMatch(/MONTHLY USD {2}NOTE/);
    expect(wide.split("\n").some((x) => x.includes(long) && x.includes(note))).toBe(true);
  });
  it("renders lines, a total, assumptions and what is not priced", () => {
    const text = renderOption(cost([l("EC2", "t3.medium", 34.46), l("EBS", "disk", 1.86, "GB-month")]), { code: "USD", rate: 1 }, "s");
    expect(text).toContain("s · prod · vm (eu-west-3)");
    expect(text).toMatch(/TOTAL\s+36\.32/);
    expect(text).toContain("  Assumptions:\n    - an assumption");
    expect(text).toContain("  Free or not priced:\n    - logs: kept on the machine's disk");
  });
  it("converts to EUR at the given rate; the total is the sum of converted lines", () => {
    const text = renderOption(cost([l("EC2", "t3.medium", 34.46), l("EBS", "disk", 1.86, "GB-month")]), currencyView("EUR", "0.92"), "s");
    expect(text).toContain("MONTHLY EUR");
    expect(text).toMatch(/31\.70/); // 34.46 x 0.92
    expect(text).toMatch(/TOTAL\s+33\.41/); // 31.70 + 1.71
  });
  it("summarizes environments x options", () => {
    const text = renderSummary([cost([l("EC2", "a", 10)]), { ...cost([l("EC2", "a", 20)], "prod"), option: "aws" }], { code: "USD", rate: 1 });
    expect(text).toBe("Summary (USD per month)\n  ENVIRONMENT     vm    aws\n  prod         10.00  20.00");
  });
});

describe("currency", () => {
  it("EUR without a rate is an error that says so", () => {
    expect(() => currencyView("EUR", undefined)).toThrow(/--currency EUR needs --rate/);
    expect(() => currencyView("EUR", "zero")).toThrow(/--rate must be a positive number/);
    expect(() => currencyView("GBP", "1")).toThrow(/unknown currency "GBP"/);
    expect(currencyView(undefined, undefined)).toEqual({ code: "USD", rate: 1 });
  });
});

describe("diff", () => {
  it("lists changed, added and removed lines and the total change", () => {
    const a = cost([l("EC2", "1 x t3.medium", 34.46), l("EBS", "disk", 1.86, "GB-month"), l("NAT gateway", "one", 36.5)]);
    const b = cost([l("EC2", "1 x t3.large", 68.91), l("EBS", "disk", 1.86, "GB-month"), l("ALB", "lb", 19.32)], "big");
    const d = diffCosts(a, b);
    expect(d.rows).toEqual([
      { service: "EC2", before: "1 x t3.medium", after: "1 x t3.large", beforeMonthly: 34.46, afterMonthly: 68.91, delta: 34.45 },
      { service: "NAT gateway", before: "one", after: null, beforeMonthly: 36.5, afterMonthly: 0, delta: -36.5 },
      { service: "ALB", before: null, after: "lb", beforeMonthly: 0, afterMonthly: 19.32, delta: 19.32 },
    ]);
    expect(d.delta).toBe(17.27);
    expect(d.percent).toBe(23.7);
    const text = renderDiff(d, { code: "USD", rate: 1 }, { before: "prod on vm", after: "big on vm" });
    expect(text).toMatch(/TOTAL\s+72\.82\s+90\.09\s+\+17\.27 \(\+23\.7%\)/);
  });
});
