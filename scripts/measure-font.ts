/**
 * Writes src/diagram/font-metrics.ts: the advance widths of DejaVu Sans (regular and bold), the font
 * diagrams name first, as Chromium measures them. The layout estimates label sizes from this table;
 * the geometry test measures the rendered labels in Chromium to check the estimate holds.
 * Run: npx tsx scripts/measure-font.ts
 */
import { writeFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "../src/diagram/chromium.js";

const EXTRA = "·–—…→←↔×≤≥é èêëàâäçîïôöùûüÉÈÀÇœŒ€’“”«»";
const chars: string[] = [];
for (let c = 32; c < 127; c++) chars.push(String.fromCharCode(c));
for (let c = 160; c < 256; c++) chars.push(String.fromCharCode(c));
for (const c of EXTRA) if (!chars.includes(c)) chars.push(c);

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: [...CHROMIUM_ARGS] });
const page = await browser.newPage();
// A string, not a function: the TypeScript runner would add helpers the page does not have.
const widths = (await page.evaluate(`(() => {
  const list = ${JSON.stringify(chars)};
  const ctx = document.createElement("canvas").getContext("2d");
  const measure = (font) => { ctx.font = font; return list.map((c) => Math.round(ctx.measureText(c).width * 10) / 1000); };
  return { regular: measure("100px 'DejaVu Sans'"), bold: measure("bold 100px 'DejaVu Sans'") };
})()`)) as { regular: number[]; bold: number[] };
await browser.close();

const table = (w: number[]) => `new Map<string, number>([${chars.map((c, i) => `[${JSON.stringify(c)}, ${w[i]}]`).join(", ")}])`;
const source = `/** Advance widths of DejaVu Sans in em, measured in Chromium by scripts/measure-font.ts. Generated: do not edit. */
export const REGULAR: ReadonlyMap<string, number> = ${table(widths.regular)};
export const BOLD: ReadonlyMap<string, number> = ${table(widths.bold)};
`;
writeFileSync(new URL("../src/diagram/font-metrics.ts", import.meta.url), source);
console.log(`${chars.length} characters measured`);
