/**
 * Time from `cairn up` to all healthy for the example stacks with their stand-in apps:
 *   npm run build && npm run bench:up [-- RUNS]
 * For each stack (copied to a temporary folder, with free ports), the median of RUNS runs (default 5) of:
 *   bare     the same commands started by hand (spawn + poll each health URL every 20 ms): the floor;
 *   runner   Cairn's runner in this process until every replica passes its health checks;
 *   up -d    the whole `node bin/cairn.js up -d` process until it returns (CLI start, daemon start,
 *            supervisor health, and the gateway's own checks for routed services).
 * Target: runner under 2 s for stand-in apps. Ratios are runner / bare.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { hasErrors, loadStack } from "../src/load/load.js";
import type { Stack } from "../src/model/types.js";
import { freePort } from "../src/runtime/ports.js";
import { Session } from "../src/runtime/stack-runner/session.js";
import { copyExample, removeDir, repo } from "../src/runtime/stack-runner/test-helpers.js";

const runs = Number(process.argv[2] ?? 5);
const bin = join(repo, "bin/cairn.js");
if (!existsSync(join(repo, "dist/cli/main.js"))) {
  console.error("dist/ is missing: run `npm run build` first.");
  process.exit(1);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const HARENA_ENV = "DATABASE_URL=postgres://bench@127.0.0.1:1/bench\nBONSAI_URL=http://127.0.0.1:1\nSECRET_KEY=bench-only\nLLM_API_KEY=bench-only\n";

async function prepare(name: string): Promise<string> {
  const port = await freePort();
  const dir = copyExample(name, (t) =>
    t
      .replace("edge: { port: 8000, tls: false }", `edge: { port: ${port}, tls: false }`)
      .replace("    port: 8501\n", `    port: ${port}\n`)
      .replace("edge:\n  port: 8080", `edge:\n  port: ${port}`),
  );
  if (name === "harena") writeFileSync(join(dir, ".env"), HARENA_ENV);
  return dir;
}

async function load(dir: string): Promise<Stack> {
  const analysis = await loadStack(join(dir, "cairn.yaml"), dir, { lint: false });
  const stack = analysis.stacks.values().next().value;
  if (hasErrors(analysis) || !stack) throw new Error(`${dir}: errors`);
  return stack;
}

/** Starts each service's command directly and polls its health URL: what any launcher must wait for. */
async function bare(stack: Stack): Promise<number> {
  const start = performance.now();
  const children: ChildProcess[] = [];
  const env: Record<string, string> = { ...(process.env as Record<string, string>), JWT_SECRET: "bench", SECRET_KEY: "bench" };
  const waits = stack.services.map(async (s) => {
    const port = await freePort();
    const child = spawn("/bin/sh", ["-c", `exec ${s.command?.shell}`], {
      cwd: stack.root,
      env: { ...env, PORT: String(port) },
      stdio: "ignore",
      detached: true,
    });
    children.push(child);
    const path = s.health?.path ?? "/";
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}${path}`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  await Promise.all(waits);
  const elapsed = performance.now() - start;
  for (const c of children) if (c.pid) process.kill(-c.pid, "SIGKILL");
  return elapsed;
}

async function runner(stack: Stack): Promise<number> {
  const session = new Session(stack, { cwd: stack.root, env: process.env, onLog: () => {}, watch: false, waitGateway: false });
  const start = performance.now();
  await session.start();
  const elapsed = performance.now() - start;
  await session.close();
  return elapsed;
}

function cli(dir: string): number {
  const start = performance.now();
  const up = spawnSync(process.execPath, [bin, "up", "-d", dir], { encoding: "utf8" });
  const elapsed = performance.now() - start;
  spawnSync(process.execPath, [bin, "down", dir], { encoding: "utf8" });
  if (up.status !== 0) throw new Error(`cairn up -d ${dir} failed:\n${up.stderr}${up.stdout}`);
  return elapsed;
}

console.log(
  `cairn up to all healthy, median of ${runs} runs (ms); load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}\n`,
);
console.log(`${"stack".padEnd(12)}${"bare".padStart(8)}${"runner".padStart(9)}${"ratio".padStart(8)}${"up -d".padStart(9)}`);
for (const name of ["minimal", "mangetamain", "harena"]) {
  const dir = await prepare(name);
  const stack = await load(dir);
  const b: number[] = [];
  const r: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < runs; i++) {
    b.push(await bare(stack));
    r.push(await runner(stack));
    c.push(cli(dir));
  }
  const [mb, mr, mc] = [median(b), median(r), median(c)];
  console.log(`${name.padEnd(12)}${mb.toFixed(0).padStart(8)}${mr.toFixed(0).padStart(9)}${(mr / mb).toFixed(2).padStart(8)}${mc.toFixed(0).padStart(9)}`);
  removeDir(dir);
}
console.log(
  `\nload average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
