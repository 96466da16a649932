/**
 * `npm run bench:check`: times whole-process `cairn check` (wall and CPU, median of several runs,
 * peak memory) on each example and on a generated stack of 1,000 services, 200 jobs and 100
 * resources, beside peers measured in the same run (Node's own start, `cairn --version`, and `check` alone).
 * Then checks that the cost grows linearly: 250 to 2,000 services, whole process and in process; and that
 * printing many diagnostics does too: 5,000 to 20,000 port clashes, as text and as JSON.
 * Runs the built CLI: `npm run build` first. `npm run bench:check -- --diagnostics` runs the last part alone.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { analyze } from "../src/load/analyze.js";
import { generateClashes, generateStack, type StackSize } from "./generate-stack.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const cli = join(root, "bin/cairn.js");
const RUNS = Math.max(5, Number(process.env.RUNS ?? 7));
const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
const work = mkdtempSync(join(tmpdir(), "cairn-bench-"));
/** Peers: Node starting and doing nothing, and `check` alone without the other verbs' modules. */
const empty = join(work, "empty.mjs");
const checkOnly = join(work, "check-only.mjs");
writeFileSync(empty, "");
writeFileSync(
  checkOnly,
  [
    `import { check } from ${JSON.stringify(pathToFileURL(join(root, "dist/cli/commands/check.js")).href)};`,
    `import { processContext } from ${JSON.stringify(pathToFileURL(join(root, "dist/cli/context.js")).href)};`,
    "process.exitCode = await check(process.argv[2], {}, processContext());",
  ].join("\n"),
);

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rssKb: number;
}

/** Runs `node script ...args` once; peak memory and CPU from GNU time, or from resourceUsage() at exit. */
function once([script = "", ...args]: readonly string[], allowFailure = false): Sample {
  const stats = join(work, "stats");
  let command = process.execPath;
  let argv: string[];
  if (GNU_TIME) {
    command = GNU_TIME;
    argv = ["-f", "%M %U %S", "-o", stats, process.execPath, script, ...args];
  } else {
    // Node reports its own peak memory: record it at exit, then run the script as if started directly.
    const record = `process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').writeFileSync(${JSON.stringify(stats)}, u.maxRSS + ' ' + (u.userCPUTime + u.systemCPUTime) / 1e6 + ' 0'); });`;
    argv = ["-e", `${record} process.argv.splice(1, 0, ${JSON.stringify(script)}); import(${JSON.stringify(pathToFileURL(script).href)});`, ...args];
  }
  const start = performance.now();
  const result = spawnSync(command, argv, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - start;
  if (result.status !== 0 && !(allowFailure && result.status === 1))
    throw new Error(`${[script, ...args].join(" ")} exited ${result.status}:\n${result.stderr.slice(0, 2000)}`);
  const [rssKb = 0, user = 0, system = 0] = readFileSync(stats, "utf8").trim().split(/\s+/).map(Number);
  return { wallMs, rssKb, cpuMs: (user + system) * 1000 };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

interface Timing {
  readonly wall: number;
  readonly min: number;
  readonly max: number;
  readonly cpu: number;
  readonly rssMb: number;
}

function measure(args: readonly string[], runs = RUNS, allowFailure = false): Timing {
  once(args, allowFailure); // warm the file cache
  const samples = Array.from({ length: runs }, () => once(args, allowFailure));
  const walls = samples.map((s) => s.wallMs);
  return {
    wall: median(walls),
    min: Math.min(...walls),
    max: Math.max(...walls),
    cpu: median(samples.map((s) => s.cpuMs)),
    rssMb: Math.max(...samples.map((s) => s.rssKb)) / 1024,
  };
}

/** In-process CPU time of analyze() alone: the best of several runs, free of process start-up. */
function analyzeCpu(file: string, runs = RUNS): number {
  const text = readFileSync(file, "utf8");
  analyze(file, text);
  const times = Array.from({ length: runs }, () => {
    const start = process.cpuUsage();
    analyze(file, text);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  });
  return Math.min(...times);
}

function table(head: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? (Number.isInteger(c) ? String(c) : c.toFixed(c < 10 ? 2 : 0)) : c)));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

function writeStack(size: StackSize): string {
  const dir = join(work, `s${size.services}`);
  const file = join(dir, "cairn.yaml");
  spawnSync("mkdir", ["-p", dir]);
  writeFileSync(file, generateStack(size));
  return file;
}

const sizeOf = (services: number): StackSize => ({ services, jobs: services / 5, resources: services / 10 });

function main(): void {
  if (!existsSync(join(root, "dist/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(
    `cairn check, whole process: median of ${RUNS} runs (Node ${process.version}, ${GNU_TIME ? "memory and CPU by /usr/bin/time" : "memory and CPU by resourceUsage()"})`,
  );
  out("");

  const node = measure([empty]);
  if (process.argv.includes("--diagnostics")) {
    diagnosticsTable(out, node);
    return;
  }
  const version = measure([cli, "--version"]);
  const rows: (string | number)[][] = [
    ["peer: node (empty script)", "", node.wall, node.min, node.max, node.cpu, node.rssMb, ""],
    ["peer: cairn --version", "", version.wall, version.min, version.max, version.cpu, version.rssMb, ""],
  ];
  for (const name of ["minimal", "mangetamain", "cityflow", "harena", "forestguard"]) {
    const file = join(root, "examples", name, "cairn.yaml");
    const t = measure([cli, "check", file]);
    rows.push([`examples/${name}`, statSync(file).size / 1024, t.wall, t.min, t.max, t.cpu, t.rssMb, t.wall - node.wall]);
  }
  const large = writeStack({ services: 1000, jobs: 200, resources: 100 });
  const big = measure([cli, "check", large], Math.max(5, Math.ceil(RUNS / 2)));
  rows.push(["1000 svc, 200 jobs, 100 res", statSync(large).size / 1024, big.wall, big.min, big.max, big.cpu, big.rssMb, big.wall - node.wall]);
  for (const [label, file] of [
    ["check module only: forestguard", join(root, "examples/forestguard/cairn.yaml")],
    ["check module only: 1000 svc", large],
  ] as const) {
    const t = measure([checkOnly, file], 5);
    rows.push([label, statSync(file).size / 1024, t.wall, t.min, t.max, t.cpu, t.rssMb, ""]);
  }
  out(table(["case", "KB", "wall ms", "min", "max", "cpu ms", "peak MB", "over node start"], rows));
  out('("check module only" imports dist/cli/commands/check.js directly; `cairn --version` registers, so loads, every verb.)');

  out("");
  out("Linearity: services, jobs = services/5, resources = services/10. Growth = (cost ratio) / (size ratio); 1.00 is linear.");
  const sizes = [250, 500, 1000, 2000];
  const results = sizes.map((n) => {
    const file = writeStack(sizeOf(n));
    const t = measure([cli, "check", file], 5);
    return { n, kb: statSync(file).size / 1024, wall: t.wall, cpu: t.cpu, net: t.cpu - node.cpu, rss: t.rssMb, inProcess: analyzeCpu(file, 5) };
  });
  const growth = (now: number, before: number, i: number) => (i === 0 ? "" : (now / before / ((sizes[i] ?? 1) / (sizes[i - 1] ?? 1))).toFixed(2));
  out(
    table(
      ["services", "KB", "wall ms", "cpu ms", "cpu over node start", "growth", "analyze() cpu ms", "growth", "peak MB"],
      results.map((r, i) => [
        r.n,
        r.kb,
        r.wall,
        r.cpu,
        r.net,
        growth(r.net, results[i - 1]?.net ?? 1, i),
        r.inProcess,
        growth(r.inProcess, results[i - 1]?.inProcess ?? 1, i),
        r.rss,
      ]),
    ),
  );
  diagnosticsTable(out, node);
}

/** Printing n diagnostics: the file has n port clashes, so check exits 1 and writes n rendered errors. */
function diagnosticsTable(out: (s: string) => void, node: Timing): void {
  out("");
  out("Printing diagnostics: n services on one port (n port/clash errors), whole process, median of 3 runs.");
  const counts = [5000, 10_000, 20_000];
  const results = counts.map((n) => {
    const dir = join(work, `clash-${n}`);
    spawnSync("mkdir", ["-p", dir]);
    const file = join(dir, "cairn.yaml");
    writeFileSync(file, generateClashes(n));
    const text = measure([cli, "check", file], 3, true);
    const json = measure([cli, "check", file, "--json"], 3, true);
    return { n, text: text.wall - node.wall, json: json.wall - node.wall, textWall: text.wall, jsonWall: json.wall };
  });
  const growth = (now: number, before: number, i: number) => (i === 0 ? "" : (now / before / ((counts[i] ?? 1) / (counts[i - 1] ?? 1))).toFixed(2));
  out(
    table(
      ["diagnostics", "text wall ms", "growth", "json wall ms", "growth"],
      results.map((r, i) => [r.n, r.textWall, growth(r.text, results[i - 1]?.text ?? 1, i), r.jsonWall, growth(r.json, results[i - 1]?.json ?? 1, i)]),
    ),
  );
  out("(growth is computed on the time over node's start; 1.00 is linear.)");
}

try {
  main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
