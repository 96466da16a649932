/**
 * The console's two budgets, measured:
 *   npm run bench:console
 * 1. The front end's size: every file the console serves to the page (src/console/assets), raw and
 *    gzipped, against the 200 kB budget.
 * 2. Its memory: the heap held by the log view after 10,000 lines, then after 110,000 (it keeps the
 *    last 10,000: the figure must not grow), with typical (120-character) and longest kept
 *    (2,000-character) lines. Run with --expose-gc for a settled heap (the script does it itself).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET = 200 * 1024;
const here = fileURLToPath(new URL(".", import.meta.url));
const assets = join(here, "..", "src", "console", "assets");

if (!process.argv.includes("--child")) {
  let raw = 0;
  let gz = 0;
  for (const name of readdirSync(assets).sort()) {
    const bytes = readFileSync(join(assets, name));
    const zipped = gzipSync(bytes).length;
    raw += bytes.length;
    gz += zipped;
    console.log(`${name.padEnd(12)} ${String(bytes.length).padStart(8)} B raw ${String(zipped).padStart(8)} B gzip`);
  }
  console.log(
    `${"bundle".padEnd(12)} ${String(raw).padStart(8)} B raw ${String(gz).padStart(8)} B gzip | budget ${BUDGET} B | x${(raw / BUDGET).toFixed(3)} of it`,
  );
  const child = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url), "--child"], { stdio: "inherit" });
  process.exit(child.status ?? 1);
}

const { LogStore, LOG_CAPACITY } = await import("../src/console/logs.js");
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

for (const width of [120, 2000]) {
  const text = "x".repeat(width - 20);
  const base = heap();
  const store = new LogStore();
  const fill = (count: number) => {
    for (let i = 0; i < count; i++) store.add({ source: `api.${i % 3}`, stream: i % 10 ? "out" : "err", text: `${i} ${text}`, time: new Date() });
  };
  fill(LOG_CAPACITY);
  const full = heap() - base;
  fill(100_000);
  const after = heap() - base;
  console.log(
    `log view, ${String(width).padStart(4)}-char lines: ${mb(full)} after ${LOG_CAPACITY} lines, ${mb(after)} after ${LOG_CAPACITY + 100_000} (x${(after / full).toFixed(2)}), ${store.size} kept`,
  );
}
