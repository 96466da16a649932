/**
 * `cairn cost` whole-process wall time, against `cairn check` on the same files in the same run:
 *   npm run build && npm run bench:cost [-- RUNS]
 * 1. every environment of every example (one process per example file; target under 300 ms each);
 * 2. a generated stack with 1,000 services (target under 2 s).
 * Prints medians of RUNS runs (default 7): wall time, the ratio cost / check, and CPU time (cost / check).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const bin = join(root, "bin/cairn.js");
const runs = Number(process.argv[2] ?? 7);
if (!existsSync(join(root, "dist/cli/main.js"))) {
  console.error("dist/ is missing: run `npm run build` first.");
  process.exit(1);
}

/** A stack of `n` services (0.25 to 1 vCPU), one job, a database, a cache, a bucket and a table; vm compared with compose and aws. */
function generated(n: number): string {
  const lines = ["name: bench-cost", "domain: bench.example.org", "services:"];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  svc-${i}: { run: node app.mjs, port: ${10_000 + i}, health: /health, size: { cpu: ${[0.25, 0.5, 1][i % 3]}, memory: ${[256, 512, 1024][i % 3]}Mi }, replicas: ${1 + (i % 2)} }`,
    );
  }
  lines.push(
    "jobs:",
    '  nightly: { run: node job.mjs, schedule: "daily at 02:00", timeout: 30m }',
    "resources:",
    "  db: { type: postgres, storage: 50GB, ha: true }",
    "  cache: { type: redis, memory: 1GB }",
    "  files: { type: bucket }",
    "  events: { type: table, key: { hash: id } }",
    "routes:",
    ...Array.from({ length: n }, (_, i) => `  - { path: /svc-${i}, to: svc-${i} }`),
    "edge: { port: 443, tls: auto, waf: [sqli] }",
    "alarms: [cpu > 80% for 5m]",
    "environments:",
    "  local: { target: local }",
    "  mvp: { target: vm, instance: t3.xlarge, instances: 20, compare: [compose, aws] }",
    "  production: { target: aws }",
    "",
  );
  return lines.join("\n");
}

/**
 * The command alone: a process that loads only that command's module (what `cairn` costs once the CLI
 * loads verbs lazily), to tell the command's own time from the start-up of every other verb.
 */
const alone = (verb: "cost" | "check", file: string) => [
  "--input-type=module",
  "-e",
  `const m = await import(${JSON.stringify(join(root, `dist/cli/commands/${verb}.js`))}); const c = (await import(${JSON.stringify(join(root, "dist/cli/context.js"))})).processContext(); try { process.exitCode = await m.${verb}(${JSON.stringify(file)}, {}, c); } catch { process.exitCode = 1; }`,
];

/** Wall time, and CPU time (user + system, from GNU time) which stays meaningful on a busy machine. */
function time(args: string[], raw = false): { ms: number; cpu: number; code: number | null } {
  const start = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "@cpu %U %S", process.execPath, ...(raw ? args : [bin, ...args])], { cwd: root, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const [, user = "0", sys = "0"] = /@cpu (\S+) (\S+)/.exec(r.stderr ?? "") ?? [];
  return { ms, cpu: (Number(user) + Number(sys)) * 1000, code: r.status };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] ?? 0) : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
};

function measure(label: string, file: string, target: number, lazy = false): void {
  const cost: number[] = [];
  const check: number[] = [];
  const costCpu: number[] = [];
  const checkCpu: number[] = [];
  const codes = new Set<number | null>();
  for (let i = 0; i < runs; i++) {
    const c = lazy ? time(alone("cost", file), true) : time(["cost", file]);
    cost.push(c.ms);
    costCpu.push(c.cpu);
    codes.add(c.code);
    const k = lazy ? time(alone("check", file), true) : time(["check", file]);
    check.push(k.ms);
    checkCpu.push(k.cpu);
  }
  const m = median(cost);
  const p = median(check);
  const cpu = `cpu ${median(costCpu).toFixed(0)} / ${median(checkCpu).toFixed(0)} ms`;
  const exit = [...codes].join(",");
  console.log(
    `${label.padEnd(42)} cost ${m.toFixed(0).padStart(5)} ms   check ${p.toFixed(0).padStart(5)} ms   cost/check ${(m / p).toFixed(2)}   target < ${target} ms: ${m < target ? "met" : "MISSED"}   ${cpu}   (exit ${exit})`,
  );
}

/** The same pricing in this process (load + price every environment and option), to separate it from start-up. */
async function inProcess(label: string, file: string): Promise<void> {
  const { loadStack } = await import(join(root, "dist/load/load.js"));
  const { readCatalog, priceBook } = await import(join(root, "dist/cost/catalog.js"));
  const { estimate, optionsFor } = await import(join(root, "dist/cost/estimate.js"));
  const { readFileSync } = await import("node:fs");
  const read = readCatalog(JSON.parse(readFileSync(join(root, "catalog/aws-prices.json"), "utf8")));
  const book = priceBook(read.catalog);
  const load: number[] = [];
  const price: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const analysis = await loadStack(file, root, { lint: false });
    const t1 = performance.now();
    for (const stack of analysis.stacks.values()) for (const option of optionsFor(stack, false)) estimate(stack, option, book);
    price.push(performance.now() - t1);
    load.push(t1 - t0);
  }
  console.log(`${label.padEnd(42)} in process: load ${median(load).toFixed(1)} ms, pricing ${median(price).toFixed(1)} ms`);
}

const load = (await import("node:os")).loadavg()[0]?.toFixed(1);
console.log(
  `node ${process.version}, ${runs} runs each, median whole-process wall time; load average ${load} on ${(await import("node:os")).cpus().length} CPUs`,
);
const floor: number[] = [];
const floorCpu: number[] = [];
for (let i = 0; i < runs; i++) {
  const t = time(["--version"]);
  floor.push(t.ms);
  floorCpu.push(t.cpu);
}
console.log(`${"start-up floor (cairn --version)".padEnd(42)} ${median(floor).toFixed(0).padStart(5)} ms, cpu ${median(floorCpu).toFixed(0)} ms`);
for (const name of ["minimal", "mangetamain", "cityflow", "harena", "forestguard"]) measure(`examples/${name}`, `examples/${name}/cairn.yaml`, 300);
const dir = mkdtempSync(join(tmpdir(), "cairn-bench-cost-"));
const big = join(dir, "cairn.yaml");
writeFileSync(big, generated(1000));
measure("generated, 1,000 services", big, 2000);
for (const name of ["minimal", "forestguard"]) measure(`examples/${name}, command module only`, `examples/${name}/cairn.yaml`, 300, true);
measure("generated, command module only", big, 2000, true);
await inProcess("examples/forestguard", join(root, "examples/forestguard/cairn.yaml"));
await inProcess("generated, 1,000 services", big);
