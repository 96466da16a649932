/**
 * `npm run bench:build`: whole-process wall time of `cairn build` for the vm and compose targets on
 * every example and on a generated stack of 1,000 services, 200 jobs and 100 resources, beside
 * `cairn check` on the same file as the peer measured in the same run (median of several runs).
 * Targets: under 300 ms per example build, under 2 s for the 1,000-service stack.
 * Runs the built CLI: `npm run build` first.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exampleNames, loadExample } from "../src/test-support/index.js";
import { generateStack } from "./generate-stack.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const cli = join(root, "bin/cairn.js");
const RUNS = Math.max(5, Number(process.env.RUNS ?? 7));
const work = mkdtempSync(join(tmpdir(), "cairn-bench-build-"));

const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/** Median wall time and median CPU time (user + system, from GNU time when present) in ms of `node cli args`. */
function median(args: readonly string[]): { wall: number; cpu: number | null } {
  const walls: number[] = [];
  const cpus: number[] = [];
  const stats = join(work, "time.txt");
  for (let i = 0; i < RUNS; i++) {
    const command = GNU_TIME ?? process.execPath;
    const argv = GNU_TIME ? ["-f", "%U %S", "-o", stats, process.execPath, cli, ...args] : [cli, ...args];
    const start = process.hrtime.bigint();
    const run = spawnSync(command, argv, { encoding: "utf8" });
    walls.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (run.status !== 0) throw new Error(`cairn ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
    if (GNU_TIME) {
      const [user = "0", system = "0"] = readFileSync(stats, "utf8").trim().split(/\s+/).slice(-2);
      cpus.push((Number(user) + Number(system)) * 1000);
    }
  }
  const mid = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;
  return { wall: mid(walls), cpu: cpus.length ? mid(cpus) : null };
}

const rows: string[][] = [];
function measure(label: string, file: string, target: "vm" | "compose", env: string, limit: number): void {
  const out = join(work, `${label}-${target}`);
  const build = median(["build", file, "--target", target, "--env", env, "--out", out]);
  const check = median(["check", file, "--env", env]);
  const cpu = (m: { cpu: number | null }) => (m.cpu === null ? "-" : m.cpu.toFixed(0));
  rows.push([
    label,
    target,
    env,
    build.wall.toFixed(0),
    check.wall.toFixed(0),
    (build.wall / check.wall).toFixed(2),
    cpu(build),
    cpu(check),
    build.wall < limit ? `yes (< ${limit})` : `no (>= ${limit})`,
  ]);
}

for (const example of exampleNames) {
  const stacks = [...(await loadExample(example)).values()];
  for (const target of ["vm", "compose"] as const) {
    const env = (stacks.find((s) => s.environment.target === target) ?? stacks[0])?.environment.name ?? "local";
    measure(example, join(root, "examples", example, "cairn.yaml"), target, env, 300);
  }
}

const big = join(work, "cairn.yaml");
writeFileSync(big, `${generateStack({ services: 1000, jobs: 200, resources: 100 })}  vm: { target: vm }\n  compose: { target: compose }\n`);
measure("1,000 services", big, "vm", "vm", 2000);
measure("1,000 services", big, "compose", "compose", 2000);

const header = ["stack", "target", "env", "build ms", "check ms (peer)", "build/check", "build cpu ms", "check cpu ms", "wall under target"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: readonly string[]) => cells.map((c, i) => (i >= 3 && i <= 7 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ");
console.log(`cairn build, whole process, median of ${RUNS} runs (node ${process.version}, load average ${loadavg()[0]?.toFixed(1)})`);
console.log(line(header));
for (const row of rows) console.log(line(row));
rmSync(work, { recursive: true, force: true });
