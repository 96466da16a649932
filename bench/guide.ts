/**
 * `cairn docs` whole-process time for each example (every phase, Markdown and HTML, English and
 * French), against `cairn cost` on the same file in the same run (the nearest peer: it loads the same
 * stack and prices every environment, which the guide does too):
 *   npm run build && npm run bench:guide [-- RUNS]
 * Target: 1 s wall per guide. Prints medians of RUNS runs (default 5), wall and CPU time, the ratio
 * docs / cost, and the load average first and last.
 */
import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { median, time } from "./process-time.js";

const runs = Number(process.argv[2] ?? 5);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
const out = mkdtempSync(join(tmpdir(), "cairn-bench-guide-"));

console.log(`load average: ${load()} (${runs} runs each, medians)`);
for (const name of ["mangetamain", "cityflow", "harena", "forestguard"])
  for (const [format, lang] of [
    ["md", "en"],
    ["html", "fr"],
  ] as const) {
    const file = `examples/${name}`;
    const a = Array.from({ length: runs }, () => time(["docs", file, "--format", format, "--lang", lang, "--out", out]));
    const b = Array.from({ length: runs }, () => time(["cost", file]));
    if (a.some((x) => x.code !== 0)) throw new Error(`${name}: cairn docs failed`);
    const wall = median(a.map((x) => x.ms));
    const cpu = median(a.map((x) => x.cpu));
    const peer = median(b.map((x) => x.ms));
    console.log(
      `${`${name} ${format} ${lang}`.padEnd(24)} ${wall.toFixed(0).padStart(6)} ms wall ${cpu.toFixed(0).padStart(6)} ms cpu | cost ${peer.toFixed(0).padStart(6)} ms | x${(wall / peer).toFixed(2)} | target 1000 ms ${wall <= 1000 ? "ok" : "over"}`,
    );
  }
console.log(`load average: ${load()}`);
