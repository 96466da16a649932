/**
 * CityFlow processor throughput and memory: rows/s and peak RSS on generated traffic files of 100k and
 * 1M rows (written to a temporary folder, removed at the end), against two peers measured in the same run:
 * a bare line count of the same file (the floor: reading and splitting lines, no parsing) and a naive
 * whole-file parse (readFileSync + split), whose memory grows with the file.
 *
 *   npm run bench:processor [-- --runs 3]
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";

const run = promisify(execFile);
const EXAMPLE = resolve(import.meta.dirname, "../examples/cityflow");
const DATE = "2025-11-04";
const SIZES = [
  { label: "100k", points: 4167 },
  { label: "1M", points: 41667 },
];

// Peers run as their own node processes, like the processor, so peak RSS compares like with like.
const LINE_COUNT = `
const { createReadStream } = require("node:fs");
const t = process.hrtime.bigint(); let rows = -1, rest = "";
const s = createReadStream(process.argv[1], { highWaterMark: 1 << 16, encoding: "utf8" });
s.on("data", (c) => { rest += c; let i; while ((i = rest.indexOf("\\n")) !== -1) { rows++; rest = rest.slice(i + 1); } });
s.on("end", () => console.log(JSON.stringify({ rows, seconds: Number(process.hrtime.bigint() - t) / 1e9, maxRssBytes: process.resourceUsage().maxRSS * 1024 })));`;
const WHOLE_FILE = `
const t = process.hrtime.bigint();
const lines = require("node:fs").readFileSync(process.argv[1], "utf8").trim().split("\\n");
const head = lines[0].split(";"); let flow = 0;
const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(";").map((v, i) => [head[i], v])));
for (const r of rows) flow += Number(r.q || 0);
console.log(JSON.stringify({ rows: rows.length, flow, seconds: Number(process.hrtime.bigint() - t) / 1e9, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));`;

interface Sample {
  rows: number;
  seconds: number;
  maxRssBytes: number;
}

const lastJson = (stdout: string): Sample => JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");

async function processor(dir: string): Promise<Sample> {
  const { stdout } = await run(process.execPath, ["app/processor.mjs", DATE, "--raw-dir", dir, "--print"], {
    cwd: EXAMPLE,
    env: { PATH: process.env.PATH ?? "", CHUNK_ROWS: "50000" },
    maxBuffer: 1 << 24,
  });
  const out = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { stats: Sample };
  return out.stats;
}

async function peer(script: string, file: string): Promise<Sample> {
  const { stdout } = await run(process.execPath, ["--max-old-space-size=8192", "-e", script, file], { maxBuffer: 1 << 24 });
  return lastJson(stdout);
}

/** The best of `runs` (highest rows/s), with the highest peak RSS seen: memory is reported pessimistically. */
async function best(runs: number, measure: () => Promise<Sample>): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await measure());
  const fastest = samples.reduce((a, b) => (b.rows / b.seconds > a.rows / a.seconds ? b : a));
  return { ...fastest, maxRssBytes: Math.max(...samples.map((s) => s.maxRssBytes)) };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (s: Sample) => Math.round(s.rows / s.seconds);

async function main() {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
  const runs = Number(values.runs);
  const root = mkdtempSync(join(tmpdir(), "cityflow-bench-"));
  try {
    const rows: string[][] = [["file", "rows", "size", "measure", "rows/s", "seconds", "peak RSS", "vs line count"]];
    const rss: Record<string, Sample> = {};
    for (const size of SIZES) {
      const dir = join(root, size.label);
      await run(
        process.execPath,
        ["scripts/generate-data.mjs", "--out", dir, "--only", "traffic", "--days", "1", "--start", DATE, "--points", String(size.points)],
        {
          cwd: EXAMPLE,
        },
      );
      const file = join(dir, `traffic/comptages-routiers-permanents-${DATE}.csv`);
      const bytes = statSync(file).size;
      const floor = await best(runs, () => peer(LINE_COUNT, file));
      const proc = await best(runs, () => processor(dir));
      const naive = await best(1, () => peer(WHOLE_FILE, file));
      rss[size.label] = proc;
      for (const [name, s] of [
        ["processor (streaming)", proc],
        ["peer: line count", floor],
        ["peer: whole-file parse", naive],
      ] as const) {
        rows.push([size.label, String(s.rows), mb(bytes), name, String(rate(s)), s.seconds.toFixed(2), mb(s.maxRssBytes), (rate(s) / rate(floor)).toFixed(2)]);
      }
    }
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
    for (const r of rows) process.stdout.write(`${r.map((c, i) => (i < 1 || i === 3 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ")}\n`);
    const small = rss["100k"];
    const large = rss["1M"];
    if (small && large) {
      process.stdout.write(
        `\nprocessor peak RSS 1M / 100k rows: ${(large.maxRssBytes / small.maxRssBytes).toFixed(2)} (${mb(small.maxRssBytes)} -> ${mb(large.maxRssBytes)}); rows x${(large.rows / small.rows).toFixed(1)}\n`,
      );
    }
    process.stdout.write(`node ${process.version}, best of ${runs} runs, CHUNK_ROWS=50000\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
