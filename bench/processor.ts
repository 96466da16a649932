/**
 * CityFlow processor throughput and memory: rows/s and peak RSS on generated traffic files of 100k and
 * 1M rows (written to a temporary folder, removed at the end), against two peers measured in the same run:
 * a bare line count of the same file (the floor: reading and splitting lines, no parsing) and a naive
 * whole-file parse (readFileSync + split), whose memory grows with the file. The processor is measured
 * reading a folder and reading the same file from a local S3 bucket (Cairn's endpoint, in this process).
 *
 *   npm run bench:processor [-- --runs 3]
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";
import { startResource } from "../src/runtime/resources/index.js";
import { contextFor, resourceFrom } from "../src/runtime/resources/testing/index.js";

const run = promisify(execFile);
const EXAMPLE = resolve(import.meta.dirname, "../examples/cityflow");
const DATE = "2025-11-04";
// One day's export with more counting points as the file grows (the per-point totals grow with it), and
// multi-day exports of a fixed set of points where one day is processed (only a chunk is in memory).
// The 3M file only measures the processor and the line count: it shows where peak RSS levels off.
const SIZES = [
  { label: "100k", points: 4167, days: 1, single: false, all: true },
  { label: "1M", points: 41667, days: 1, single: false, all: true },
  { label: "1M-10d", points: 4167, days: 10, single: true, all: true },
  { label: "3M-30d", points: 4167, days: 30, single: true, all: false },
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

async function processor(from: { dir: string } | { bucket: string; endpoint: string }): Promise<Sample> {
  const source = "dir" in from ? { args: ["--raw-dir", from.dir], env: {} } : { args: [], env: { RAW_BUCKET: from.bucket, S3_ENDPOINT: from.endpoint } };
  const { stdout } = await run(process.execPath, ["app/processor.mjs", DATE, ...source.args, "--print"], {
    cwd: EXAMPLE,
    env: { PATH: process.env.PATH ?? "", CHUNK_ROWS: "50000", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...source.env },
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
      const options = [
        "--only",
        "traffic",
        "--days",
        String(size.days),
        "--start",
        DATE,
        "--points",
        String(size.points),
        ...(size.single ? ["--single-file"] : []),
      ];
      await run(process.execPath, ["scripts/generate-data.mjs", "--out", dir, ...options], { cwd: EXAMPLE });
      const file = join(dir, size.single ? "traffic/comptages-routiers-permanents.csv" : `traffic/comptages-routiers-permanents-${DATE}.csv`);
      const bytes = statSync(file).size;
      const floor = await best(runs, () => peer(LINE_COUNT, file));
      const proc = await best(runs, () => processor({ dir }));
      rss[size.label] = proc;
      const measured: [string, Sample][] = [["processor, from a folder", proc]];
      if (size.all) {
        const bucket = await startResource(
          resourceFrom(`name: bench\nresources:\n  raw: { type: bucket, seed: ${size.label} }\n`, "raw"),
          contextFor(join(root, `${size.label}-s3`), root),
        );
        const viaS3 = await best(runs, () => processor({ bucket: bucket.attributes.name ?? "", endpoint: bucket.attributes.endpoint ?? "" })).finally(() =>
          bucket.close(),
        );
        measured.push(["processor, from local S3", viaS3]);
      }
      measured.push(["peer: line count", floor]);
      if (size.all) measured.push(["peer: whole-file parse", await best(1, () => peer(WHOLE_FILE, file))]);
      for (const [name, s] of measured) {
        rows.push([size.label, String(s.rows), mb(bytes), name, String(rate(s)), s.seconds.toFixed(2), mb(s.maxRssBytes), (rate(s) / rate(floor)).toFixed(2)]);
      }
    }
    process.stdout.write("1M: one day, 41,667 points; 1M-10d, 3M-30d: exports of 10 and 30 days of 4,167 points, one day processed (all rows read)\n\n");
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
    for (const r of rows) process.stdout.write(`${r.map((c, i) => (i < 1 || i === 3 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ")}\n`);
    const small = rss["100k"];
    for (const label of ["1M", "1M-10d", "3M-30d"]) {
      const large = rss[label];
      if (!small || !large) continue;
      const ratio = (large.maxRssBytes / small.maxRssBytes).toFixed(2);
      process.stdout.write(
        `processor peak RSS ${label} / 100k: ${ratio} (${mb(small.maxRssBytes)} -> ${mb(large.maxRssBytes)}) for x${(large.rows / small.rows).toFixed(1)} rows\n`,
      );
    }
    process.stdout.write(`node ${process.version}, best of ${runs} runs, CHUNK_ROWS=50000\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
