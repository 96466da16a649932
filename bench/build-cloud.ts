/**
 * `npm run bench:cloud`: the k8s and aws targets.
 * 1. Whole-process wall time of `cairn build --target k8s|aws` on every example (built CLI: run
 *    `npm run build` first), beside `cairn check` on the same file as the peer, median of RUNS.
 * 2. In-process, ForestGuard production: Cairn's own part of the aws target (the plan and the app
 *    files, target under 300 ms) apart from the CDK synthesis it then runs, cold and warm, and the
 *    whole k8s generation.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Stack } from "../src/model/types.js";
import { appFiles } from "../src/targets/aws/app-files.js";
import { awsTarget } from "../src/targets/aws/index.js";
import { planOf } from "../src/targets/aws/plan.js";
import { readme } from "../src/targets/aws/readme.js";
import { synthesize } from "../src/targets/aws/synth.js";
import { k8sTarget } from "../src/targets/k8s/index.js";
import { exampleNames, exampleStack, loadExample } from "../src/test-support/index.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const cli = join(root, "bin/cairn.js");
const RUNS = Math.max(3, Number(process.env.RUNS ?? 5));
const work = mkdtempSync(join(tmpdir(), "cairn-bench-cloud-"));

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)] as number;

/** Median wall time in ms of `node cli args`, failing loudly on a non-zero exit. */
function wall(args: readonly string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (run.status !== 0) throw new Error(`cairn ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
  }
  return median(times);
}

/** Median in-process time in ms of `fn`, after `warm` unmeasured runs. */
function timed(fn: () => unknown, runs = RUNS, warm = 1): number {
  for (let i = 0; i < warm; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

const rows: string[][] = [];
for (const example of exampleNames) {
  const stacks = [...(await loadExample(example)).values()];
  const file = join(root, "examples", example, "cairn.yaml");
  for (const target of ["k8s", "aws"] as const) {
    const env = ((stacks.find((s) => s.environment.target === target) ?? stacks[stacks.length - 1]) as Stack).environment.name;
    const build = wall(["build", file, "--target", target, "--env", env, "--out", join(work, `${example}-${target}`)]);
    const check = wall(["check", file, "--env", env]);
    rows.push([example, target, env, build.toFixed(0), check.toFixed(0), (build / check).toFixed(2)]);
  }
}
console.log(`cairn build --target k8s|aws, whole process, median of ${RUNS} runs (node ${process.version}, load average ${loadavg()[0]?.toFixed(1)})`);
table(["stack", "target", "env", "build ms", "check ms (peer)", "build/check"], rows);

const forestguard = await exampleStack("forestguard", "production");
let start = process.hrtime.bigint();
synthesize(planOf(forestguard).plan);
const cold = Number(process.hrtime.bigint() - start) / 1e6;
const plan = timed(() => planOf(forestguard), 50, 5);
const files = timed(
  () => {
    const { plan: p, warnings } = planOf(forestguard);
    return [appFiles(p), readme(forestguard, p, warnings, "out")];
  },
  50,
  5,
);
const synth = timed(() => synthesize(planOf(forestguard).plan));
const generateAws = timed(() => awsTarget.generate(forestguard, { outDir: "out" }));
const generateK8s = timed(() => k8sTarget.generate(forestguard, { outDir: "out" }), 50, 5);
start = process.hrtime.bigint();
const validated = synthesize(planOf(forestguard).plan, { validate: true });
const validation = Number(process.hrtime.bigint() - start) / 1e6;

console.log(`\nForestGuard production, in-process (median of ${RUNS} runs, 50 for the pure parts)`);
table(
  ["part", "", "", "ms"],
  [
    ["aws: Cairn's plan (pure)", "", "", plan.toFixed(2)],
    ["aws: plan + app files + README (Cairn's own part)", "", "", files.toFixed(2)],
    ["aws: CDK synthesis, first in the process (module loading)", "", "", cold.toFixed(0)],
    ["aws: CDK synthesis, warm", "", "", synth.toFixed(0)],
    ["aws: whole generate (own part + synthesis), warm", "", "", generateAws.toFixed(0)],
    ["aws: synthesis with CloudFormation validation (tests only)", "", "", validation.toFixed(0)],
    ["k8s: whole generate", "", "", generateK8s.toFixed(2)],
  ],
);
console.log(
  `Cairn's own part of aws: ${files.toFixed(2)} ms (target < 300 ms): ${files < 300 ? "yes" : "NO"}; synthesis is ${(synth / files).toFixed(0)}x that.`,
);
console.log(`CloudFormation validation findings: ${validated.findings.length}`);
rmSync(work, { recursive: true, force: true });
