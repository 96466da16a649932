import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../test-support/index.js";
import { freshness, monthsBetween, priceBook, readCatalog } from "./catalog.js";
import { buildCatalog, parseRecords } from "./records.js";
import type { PriceRecord } from "./types.js";

const rec = (over: Partial<PriceRecord> = {}): PriceRecord => ({
  service: "ec2",
  sku: "t3.micro",
  region: "eu-west-3",
  unit: "hour",
  usd: 0.0118,
  source: "test",
  source_date: "2025-11-04",
  ...over,
});

describe("price records", () => {
  it("rejects what is not a list of records, naming the record and the field", () => {
    expect(parseRecords({ a: 1 }).errors[0]).toMatch(/expected a JSON array of price records/);
    expect(parseRecords([]).errors).toEqual(["the file holds no price records"]);
    const { errors } = parseRecords([rec(), { ...rec(), usd: "cheap" }, { ...rec(), source_date: "last year" }, { ...rec(), sku: "" }, 3]);
    expect(errors).toEqual([
      'record 2: "usd" must be a number >= 0 (got "cheap")',
      'record 3: "source_date" must be a date YYYY-MM-DD (got "last year")',
      'record 4: "sku" must be a non-empty string',
      "record 5: not an object",
    ]);
  });
  it("builds a catalog where the newest publication of a price wins, with its date and origin", () => {
    const catalog = buildCatalog([rec({ usd: 0.02, source_date: "2026-01-01" }), rec(), rec({ sku: "t3.small", source_date: "2024-07-18" })]);
    expect(catalog.date).toBe("2026-01-01");
    expect(catalog.oldest).toBe("2024-07-18");
    expect(catalog.prices.map((p) => [p.sku, p.usd, p.origin])).toEqual([
      ["t3.micro", 0.02, "AWS public pricing, published 2026-01-01"],
      ["t3.small", 0.0118, "AWS public pricing, published 2024-07-18"],
    ]);
  });
  it("the catalog in the repo is exactly what the script builds from catalog/records (no drift)", () => {
    const dir = `${repoRoot}catalog/records/`;
    const records = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .flatMap((f) => parseRecords(JSON.parse(readFileSync(dir + f, "utf8"))).records);
    const shipped = readFileSync(`${repoRoot}catalog/aws-prices.json`, "utf8");
    expect(shipped).toBe(`${JSON.stringify(buildCatalog(records), null, 2)}\n`);
    const read = readCatalog(JSON.parse(shipped));
    expect("catalog" in read && read.catalog.prices.length).toBe(213);
  });
  it("refuses a file that is not a catalog", () => {
    expect(readCatalog([rec()])).toEqual({ errors: ['not a Cairn price catalog (expected "catalog": "cairn-aws-prices" and a "date")'] });
  });
});

describe("catalog freshness and overrides", () => {
  const catalog = buildCatalog([rec(), rec({ sku: "t3.small", source_date: "2025-05-24" })]);
  it("counts whole months", () => {
    expect(monthsBetween("2025-11-04", new Date("2026-11-03T00:00:00Z"))).toBe(11);
    expect(monthsBetween("2025-11-04", new Date("2026-11-04T00:00:00Z"))).toBe(12);
  });
  it("states the date always, and warns past 12 months", () => {
    const book = priceBook(catalog);
    const young = freshness(book, new Date("2026-06-01T00:00:00Z"));
    expect(young.line).toBe("Prices: AWS public pricing (USD, on-demand), catalog dated 2025-11-04 (oldest price 2025-05-24).");
    expect(young.warning).toBeNull();
    expect(freshness(book, new Date("2026-11-04T00:00:00Z")).warning).toBeNull();
    expect(freshness(book, new Date("2026-11-05T00:00:00Z")).warning).toMatch(/^The price catalog is 12 months old \(dated 2025-11-04\)/);
    expect(freshness(book, new Date("2027-03-01T00:00:00Z")).warning).toMatch(/^The price catalog is 15 months old/);
  });
  it("--prices records replace or add prices, and the report says how many came from the file", () => {
    const book = priceBook(catalog, [rec({ usd: 0.5 }), rec({ region: "ap-south-1", usd: 0.01 })], "mine.json");
    expect(book.find("ec2", "t3.micro", "eu-west-3")?.usd).toBe(0.5);
    expect(book.find("ec2", "t3.micro", "ap-south-1")?.origin).toBe("mine.json, published 2025-11-04");
    expect(book.find("ec2", "t3.small", "ap-south-1")).toBeUndefined();
    expect(freshness(book, new Date("2026-01-01T00:00:00Z")).line).toMatch(/; 2 price\(s\) from mine.json\.$/);
  });
});

describe("npm run catalog (scripts/build-catalog.ts)", () => {
  it("an update is one command over newer records: the newer price and date win", async () => {
    const { execFileSync } = await import("node:child_process");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(`${tmpdir()}/cairn-catalog-`);
    const newer = `${dir}/newer.json`;
    writeFileSync(newer, JSON.stringify([rec({ sku: "t3.medium", usd: 0.05, source_date: "2026-10-01", source: "newer price file" })]));
    const out = `${dir}/catalog.json`;
    const records = readdirSync(`${repoRoot}catalog/records`).map((f) => `${repoRoot}catalog/records/${f}`);
    const said = execFileSync(process.execPath, ["--import", "tsx", `${repoRoot}scripts/build-catalog.ts`, "--out", out, ...records, newer], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    expect(said).toMatch(/213 prices from 214 records, dated 2026-10-01 \(oldest 2024-04-01\)/);
    const read = readCatalog(JSON.parse(readFileSync(out, "utf8")));
    if (!("catalog" in read)) throw new Error("not a catalog");
    const p = priceBook(read.catalog).find("ec2", "t3.medium", "eu-west-3");
    expect([p?.usd, p?.origin, p?.source]).toEqual([0.05, "AWS public pricing, published 2026-10-01", "newer price file"]);
  });
  it("refuses bad records with the file and record named", async () => {
    const { execFileSync } = await import("node:child_process");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(`${tmpdir()}/cairn-catalog-`);
    writeFileSync(`${dir}/bad.json`, JSON.stringify([rec({ usd: -2 })]));
    let stderr = "";
    try {
      execFileSync(process.execPath, ["--import", "tsx", `${repoRoot}scripts/build-catalog.ts`, "--out", `${dir}/c.json`, `${dir}/bad.json`], {
        cwd: repoRoot,
        encoding: "utf8",
        stdio: "pipe",
      });
    } catch (error) {
      stderr = String((error as { stderr: string }).stderr);
    }
    expect(stderr).toMatch(/bad\.json: record 1: "usd" must be a number >= 0 \(got -2\)/);
  });
});
