/**
 * `cairn diagram` whole-process time, against `cairn check` on the same file in the same run:
 *   npm run build && npm run bench:diagram [-- RUNS]
 * 1. each example's views as SVG (target: 500 ms wall each);
 * 2. a generated stack of 1,000 services (target: 5 s), laid out by groups;
 * 3. elkjs alone on that stack's full logical graph, to show how far its layered layout reaches.
 * Prints medians of RUNS runs (default 5): wall and CPU time (user + system, which stays meaningful
 * on a busy machine), and the ratio diagram / check. The load average is printed first and last.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { generateStack } from "./generate-stack.js";
import { median, root, time } from "./process-time.js";

const runs = Number(process.argv[2] ?? 5);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

function row(label: string, args: string[], peer: string[], target: number): void {
  const a = Array.from({ length: runs }, () => time(args));
  const b = Array.from({ length: runs }, () => time(peer));
  if (a.some((x) => x.code !== 0)) throw new Error(`${label}: cairn ${args.join(" ")} failed`);
  const wall = median(a.map((x) => x.ms));
  const cpu = median(a.map((x) => x.cpu));
  const peerWall = median(b.map((x) => x.ms));
  const verdict = wall <= target ? "ok" : "over";
  console.log(
    `${label.padEnd(40)} ${wall.toFixed(0).padStart(6)} ms wall ${cpu.toFixed(0).padStart(6)} ms cpu | check ${peerWall.toFixed(0).padStart(6)} ms | x${(wall / peerWall).toFixed(2)} | target ${target} ms ${verdict}`,
  );
}

console.log(`load average: ${load()} (${runs} runs each, medians)`);
const examples: [string, string, string][] = [
  ["mangetamain", "production", "vm"],
  ["cityflow", "mvp", "vm"],
  ["harena", "fargate", "aws"],
  ["forestguard", "production", "aws"],
];
for (const [name, env, view] of examples) {
  const file = `examples/${name}`;
  row(`${name} logical`, ["diagram", file, "--env", env], ["check", file], 500);
  row(`${name} ${view}`, ["diagram", file, "--env", env, "--view", view], ["check", file], 500);
}
const dir = mkdtempSync(join(tmpdir(), "cairn-bench-diagram-"));
writeFileSync(join(dir, "cairn.yaml"), generateStack({ services: 1000, jobs: 100, resources: 200 }));
row("1,000 services, logical (by groups)", ["diagram", dir, "--env", "production"], ["check", dir], 5000);
row("1,000 services, aws (by groups)", ["diagram", dir, "--env", "production", "--view", "aws"], ["check", dir], 5000);

// How far elkjs's layered layout reaches on the whole graph (no groups), each size in a fresh process.
for (const n of [10, 20, 40]) {
  const small = mkdtempSync(join(tmpdir(), "cairn-bench-elk-"));
  writeFileSync(join(small, "cairn.yaml"), generateStack({ services: n, jobs: Math.ceil(n / 10), resources: Math.ceil(n / 5) }));
  const script = `const { loadStack } = await import(${JSON.stringify(join(root, "dist/load/load.js"))});
const { buildView } = await import(${JSON.stringify(join(root, "dist/diagram/views/index.js"))});
const { layout, leafCount } = await import(${JSON.stringify(join(root, "dist/diagram/layout.js"))});
const { wordsFor } = await import(${JSON.stringify(join(root, "dist/guide/i18n/words.js"))});
const a = await loadStack(${JSON.stringify(small)}, "/", { lint: false });
const d = buildView(a.stacks.get("production"), "logical", wordsFor("en"));
const c = process.cpuUsage(); await layout(d); const u = process.cpuUsage(c);
console.log(leafCount(d) + " boxes, " + d.edges.length + " arrows: " + ((u.user + u.system) / 1000).toFixed(0) + " ms cpu");`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 300_000 });
  console.log(`elkjs alone, ${n} services (whole graph): ${(r.stdout || r.stderr.split("\n")[0] || "timed out").trim()}`);
}
console.log(`load average: ${load()}`);
