/**
 * Builds Cairn's price catalog from price records:
 *   npm run catalog                                  (every catalog/records/*.json)
 *   npm run catalog -- newer.json other.json         (these files, in order; later and newer win)
 *   npm run catalog -- --out catalog/aws-prices.json catalog/records/*.json newer.json
 * A price repeated for the same service, SKU and region keeps the newest publication date.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCatalog, parseRecords } from "../src/cost/records.js";
import type { PriceRecord } from "../src/cost/types.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const args = process.argv.slice(2);
const outAt = args.indexOf("--out");
const out = resolve(outAt >= 0 ? (args[outAt + 1] ?? "") : join(root, "catalog/aws-prices.json"));
const inputs = args.filter((_, i) => i !== outAt && i !== outAt + 1);
const files = inputs.length
  ? inputs.map((f) => resolve(f))
  : readdirSync(join(root, "catalog/records"))
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => join(root, "catalog/records", f));

const records: PriceRecord[] = [];
let failed = false;
for (const file of files) {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.error(`${file}: cannot read JSON: ${(error as Error).message}`);
    failed = true;
    continue;
  }
  const parsed = parseRecords(value);
  for (const e of parsed.errors) console.error(`${file}: ${e}`);
  failed ||= parsed.errors.length > 0;
  records.push(...parsed.records);
}
if (failed) process.exit(1);

const catalog = buildCatalog(records);
writeFileSync(out, `${JSON.stringify(catalog, null, 2)}\n`);
console.log(
  `${relative(process.cwd(), out) || out}: ${catalog.prices.length} prices from ${records.length} records, dated ${catalog.date} (oldest ${catalog.oldest})`,
);
