/**
 * `npm run bench:verify`: the wall time of `cairn verify` on a running `cairn up` of CityFlow (two
 * routes, two health paths, the dashboard's WebSocket), beside peers measured in the same run:
 *   node        Node starting with an empty script (the floor of any Node CLI);
 *   check       `cairn check` on the same file: loading the stack file, which every verb pays;
 *   curl, seq   the same five checks as a shell checklist would run them, one curl after another;
 *   curl, par   the same five curls at once;
 *   in-process  `cairn verify` as a function, without process start-up.
 * Target: `cairn verify` under 2 s. Median of RUNS (default 9). Run `npm run build` first.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { verify } from "../src/cli/commands/verify.js";
import { freePort } from "../src/runtime/ports.js";
import { repo } from "../src/runtime/stack-runner/test-helpers.js";
import { captureContext } from "../src/test-support/index.js";

const RUNS = Math.max(3, Number(process.env.RUNS ?? 9));
const bin = join(repo, "bin/cairn.js");
if (!existsSync(join(repo, "dist/cli/main.js"))) {
  console.error("dist/ is missing: run `npm run build` first.");
  process.exit(1);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function time(command: string, args: string[], expectCode = 0): number {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const ms = performance.now() - started;
  if (result.status !== expectCode) throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return ms;
}

/** The five checks with curl: status of each route and health path, and the WebSocket handshake's first line. */
function curlScript(port: number, parallel: boolean): string {
  const base = `http://127.0.0.1:${port}`;
  const get = (host: string, path: string, want: string) =>
    `[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'Host: ${host}:${port}' ${base}${path})" ${want} ]`;
  const checks = [
    get("api.localhost", "/", "-lt 500"),
    get("dashboard.localhost", "/", "-lt 500"),
    get("api.localhost", "/health", "-eq 200"),
    get("dashboard.localhost", "/healthz", "-eq 200"),
    // The first line of the answer is enough; head closing the pipe ends curl.
    `curl -sN -i --max-time 5 -H 'Host: dashboard.localhost:${port}' -H 'Connection: Upgrade' -H 'Upgrade: websocket' ` +
      `-H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' ${base}/live | head -n1 | grep -q ' 101 '`,
  ];
  if (!parallel) return `set -e\n${checks.join("\n")}\n`;
  return `${checks.map((c, i) => `(${c}) & p${i}=$!`).join("\n")}\n${checks.map((_, i) => `wait $p${i} || exit 1`).join("\n")}\n`;
}

const dir = join(repo, "test-artifacts", `bench-verify-${process.pid}`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const part of ["app", "data", "cairn.yaml"]) cpSync(join(repo, "examples/cityflow", part), join(dir, part), { recursive: true });
const port = await freePort();
writeFileSync(
  join(dir, "cairn.yaml"),
  readFileSync(join(dir, "cairn.yaml"), "utf8").replace("edge: { port: 8080, tls: false }", `edge: { port: ${port}, tls: false }`),
);
time(process.execPath, [bin, "up", "-d", dir]);
try {
  writeFileSync(join(dir, "seq.sh"), curlScript(port, false));
  writeFileSync(join(dir, "par.sh"), curlScript(port, true));
  const empty = join(dir, "empty.mjs");
  writeFileSync(empty, "");
  const load = loadavg().map((l) => l.toFixed(2));
  // Warm the file cache and the gateway's connections once.
  time(process.execPath, [bin, "verify", dir]);
  time("sh", [join(dir, "seq.sh")]);
  const rows: [string, number[]][] = [
    ["cairn verify (whole process)", []],
    ["cairn verify, in process", []],
    ["peer: node (empty script)", []],
    ["peer: cairn check (same file)", []],
    ["peer: curl, one after another", []],
    ["peer: curl, all at once", []],
  ];
  for (let i = 0; i < RUNS; i++) {
    rows[0]?.[1].push(time(process.execPath, [bin, "verify", dir]));
    const started = performance.now();
    const code = await verify(dir, {}, captureContext(repo));
    rows[1]?.[1].push(performance.now() - started);
    if (code !== 0) throw new Error("cairn verify failed in process");
    rows[2]?.[1].push(time(process.execPath, [empty]));
    rows[3]?.[1].push(time(process.execPath, [bin, "check", dir]));
    rows[4]?.[1].push(time("sh", [join(dir, "seq.sh")]));
    rows[5]?.[1].push(time("sh", [join(dir, "par.sh")]));
  }
  const verifyMs = median(rows[0]?.[1] ?? []);
  const seqMs = median(rows[4]?.[1] ?? []);
  const parMs = median(rows[5]?.[1] ?? []);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`cairn verify on CityFlow under cairn up (5 checks): median of ${RUNS} runs, Node ${process.version}`);
  out(
    `machine load (1, 5, 15 min) at start: ${load.join(", ")}; at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
  out("");
  out(`${"what".padEnd(32)}${"median ms".padStart(10)}${"min ms".padStart(9)}${"max ms".padStart(9)}`);
  for (const [name, samples] of rows)
    out(
      `${name.padEnd(32)}${median(samples).toFixed(0).padStart(10)}${Math.min(...samples)
        .toFixed(0)
        .padStart(9)}${Math.max(...samples)
        .toFixed(0)
        .padStart(9)}`,
    );
  out("");
  out(`cairn verify / curl one after another: ${(verifyMs / seqMs).toFixed(2)}; / curl all at once: ${(verifyMs / parMs).toFixed(2)}`);
  out(`target: cairn verify <= 2000 ms: ${verifyMs <= 2000 ? "met" : "NOT met"} (${verifyMs.toFixed(0)} ms)`);
} finally {
  spawnSync(process.execPath, [bin, "down", dir], { stdio: "ignore" });
  rmSync(dir, { recursive: true, force: true });
}
