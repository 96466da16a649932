/**
 * Gateway throughput and latency, in one run against the same upstream (an nginx answering a static
 * 200): direct to the upstream, through nginx (one worker, keep-alive upstream, limit_req on but not
 * triggered, buffered access log) and through Cairn's gateway (one process, routing + health checks +
 * rate limit on, access log written). wrk with 2 threads and 50 keep-alive connections. Besides
 * requests/s and latency it prints the CPU time the serving process spent per request (from /proc),
 * which moves less than requests/s when other work shares the machine.
 *
 * Then the cost of telemetry: the same build with it on (every request counted, traced and listed
 * up to the new traces' limit, the console's reads and a Prometheus scrape each second) and off, in
 * two gateway processes measured in turn (on, off, off, on, ...) `--telemetry-runs` times each; it
 * prints both medians and their ratio (target: on within 5% of off). On a machine with two cores or
 * more, the gateways run on the first core and wrk and the upstream on the second (taskset), so
 * where the scheduler puts the gateway does not decide the figure: unpinned, one run of the same
 * process moved between about 25,000 and 29,500 req/s from one run to the next (`--unpinned`
 * measures that way). `--same` starts both processes with telemetry on: the bench's own noise.
 *
 *   npm run bench:gateway [-- --duration 10 --runs 1 --telemetry-runs 5 --unpinned --same]
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    runs: { type: "string", default: "1" },
    warmup: { type: "string", default: "2" },
    "telemetry-runs": { type: "string", default: "5" },
    unpinned: { type: "boolean", default: false },
    same: { type: "boolean", default: false },
  },
});
const PATH = "/api/items?page=2";
const dir = mkdtempSync(join(tmpdir(), "cairn-bench-gateway-"));
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        r(true);
      });
      s.once("error", () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on ${port}`);
}

function nginxConf(name: string, body: string): string {
  const prefix = join(dir, name);
  mkdirSync(prefix, { recursive: true });
  const file = join(prefix, "nginx.conf");
  writeFileSync(
    file,
    `worker_processes 1;
daemon off;
user root;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  keepalive_requests 1000000;
${body}
}
`,
  );
  return file;
}

/** The pid of the process that serves: nginx's one worker (the master's child), or the node process. */
function workerOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  return children.length ? Number(children[0]) : pid;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startNginx(name: string, port: number, body: string): Promise<number> {
  const conf = nginxConf(name, body);
  await run("nginx", ["-t", "-q", "-p", join(dir, name), "-c", conf]);
  const child = spawn("nginx", ["-p", join(dir, name), "-c", conf], { stdio: "ignore" });
  children.push(child);
  await waitPort(port);
  return workerOf(child.pid ?? 0);
}

interface Figures {
  rps: number;
  /** CPU microseconds the serving process spent per request (user + system). */
  cpuUs: number;
  p50: number;
  p99: number;
  errors: number;
}

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(value.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "s" ? n * 1000 : n;
}

/** The core wrk runs on (the gateways' being the first), once the telemetry comparison pins them. */
let loadCore: string | null = null;

async function wrk(port: number, seconds: string, pid: number): Promise<Figures> {
  const cpuBefore = cpuSeconds(pid);
  const args = ["-t2", "-c50", `-d${seconds}s`, "--latency", `http://127.0.0.1:${port}${PATH}`];
  const { stdout } = loadCore === null ? await run("wrk", args) : await run("taskset", ["-c", loadCore, "wrk", ...args]);
  const cpu = cpuSeconds(pid) - cpuBefore;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
  const p50 = toMs(/\s50%\s+(\S+)/.exec(stdout)?.[1] ?? "");
  const p99 = toMs(/\s99%\s+(\S+)/.exec(stdout)?.[1] ?? "");
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { rps, cpuUs: (cpu * 1e6) / requests, p50, p99, errors };
}

async function measure(port: number, pid: number): Promise<Figures> {
  await wrk(port, values.warmup ?? "2", pid);
  return wrk(port, values.duration ?? "10", pid);
}

/** A gateway process (bench/gateway-server.ts) with `off` features turned off; resolves with its port and pid. */
async function startGateway(upstream: number, log: string, off: string): Promise<{ port: number; pid: number }> {
  const gateway = spawn(process.execPath, ["--import", "tsx", resolve(import.meta.dirname, "gateway-server.ts"), String(upstream), join(dir, log), off], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(gateway);
  const port = await new Promise<number>((r, reject) => {
    gateway.stdout?.once("data", (d: Buffer) => r(Number(d.toString().trim())));
    gateway.once("exit", (code) => reject(new Error(`gateway exited with ${code}`)));
  });
  return { port, pid: gateway.pid ?? 0 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? (sorted[Math.floor(mid)] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Pins a process and all its threads to `cores` (taskset's list syntax). */
async function pin(pid: number, cores: string): Promise<void> {
  await run("taskset", ["-a", "-p", "-c", cores, String(pid)]);
}

/** Telemetry on against off: same build, two processes, measured in turn (ABBA order), medians compared. */
async function compareTelemetry(upstream: number, upstreamPid: number, runs: number): Promise<void> {
  const on = await startGateway(upstream, "on-access.log", "");
  const off = await startGateway(upstream, "off-access.log", values.same ? "" : "telemetry");
  const pinned = !values.unpinned && availableParallelism() >= 2;
  if (pinned) {
    await Promise.all([pin(on.pid, "0"), pin(off.pid, "0"), pin(upstreamPid, "1")]);
    loadCore = "1";
  }
  const figures: { on: Figures[]; off: Figures[] } = { on: [], off: [] };
  console.log(
    `\ntelemetry on vs ${values.same ? "on (the same build twice)" : "off"}: ${runs} interleaved run(s) each, wrk -t2 -c50 -d${values.duration}s after ` +
      `${values.warmup}s warm-up, ${pinned ? "gateways on core 0, wrk and the upstream on core 1" : "unpinned"}`,
  );
  console.log(["run", "on req/s", "off req/s", "on / off", "on CPU us", "off CPU us"].map((c, i) => (i === 0 ? c.padEnd(6) : c.padStart(12))).join(""));
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const);
    for (const which of order) {
      const g = which === "on" ? on : off;
      figures[which].push(await measure(g.port, g.pid));
    }
    const a = figures.on[i] as Figures;
    const b = figures.off[i] as Figures;
    console.log(
      [
        String(i + 1).padEnd(6),
        ...[a.rps, b.rps].map((n) => n.toFixed(0).padStart(12)),
        `${((a.rps / b.rps) * 100).toFixed(1)}%`.padStart(12),
        ...[a.cpuUs, b.cpuUs].map((n) => n.toFixed(1).padStart(12)),
      ].join(""),
    );
  }
  loadCore = null;
  const rpsOn = median(figures.on.map((f) => f.rps));
  const rpsOff = median(figures.off.map((f) => f.rps));
  const cpuOn = median(figures.on.map((f) => f.cpuUs));
  const cpuOff = median(figures.off.map((f) => f.cpuUs));
  const pairs = median(figures.on.map((f, i) => f.rps / (figures.off[i]?.rps ?? Number.NaN)));
  const errors = [...figures.on, ...figures.off].reduce((n, f) => n + f.errors, 0);
  console.log(
    `median req/s: on ${rpsOn.toFixed(0)}, off ${rpsOff.toFixed(0)}: on / off = ${((rpsOn / rpsOff) * 100).toFixed(1)}% (target >= 95%); ` +
      `CPU us/req: on ${cpuOn.toFixed(1)}, off ${cpuOff.toFixed(1)} (${((cpuOn / cpuOff) * 100).toFixed(1)}%); errors ${errors}`,
  );
  console.log(`median of the runs' own on / off: ${(pairs * 100).toFixed(1)}% (each run's pair shares the machine's state of the moment)`);
}

async function main(): Promise<void> {
  const [upstream, viaNginx] = [await freePort(), await freePort()];
  const upstreamPid = await startNginx(
    "upstream",
    upstream,
    `  access_log off;\n  server { listen 127.0.0.1:${upstream}; location / { return 200 "ok\\n"; } }`,
  );
  const nginxPid = await startNginx(
    "proxy",
    viaNginx,
    `  access_log ${dir}/proxy/access.log combined buffer=64k flush=1s;
  limit_req_zone $binary_remote_addr zone=per_ip:10m rate=10000000r/m;
  upstream api { server 127.0.0.1:${upstream}; keepalive 64; }
  server {
    listen 127.0.0.1:${viaNginx};
    location /api/users/ { limit_req zone=per_ip burst=1000000 nodelay; proxy_pass http://api/; proxy_http_version 1.1; proxy_set_header Connection ""; }
    location /api/ {
      limit_req zone=per_ip burst=1000000 nodelay;
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Request-Id $request_id;
    }
    location / { return 404; }
  }`,
  );
  const { port: viaCairn, pid: cairnPid } = await startGateway(upstream, "cairn-access.log", "");

  const { stderr: version } = await run("nginx", ["-v"]);
  console.log(`gateway bench: wrk -t2 -c50 -d${values.duration}s --latency, GET ${PATH}, ${values.runs} run(s); ${version.trim()}; node ${process.version}`);
  const ratios: number[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const rows: [string, Figures][] = [
      ["direct (upstream nginx)", await measure(upstream, upstreamPid)],
      ["nginx proxy (1 worker)", await measure(viaNginx, nginxPid)],
      ["cairn gateway (1 process)", await measure(viaCairn, cairnPid)],
    ];
    const nginx = rows[1]?.[1] as Figures;
    const cairn = rows[2]?.[1] as Figures;
    console.log(`\nrun ${i + 1}`);
    const table = rows.map(([label, f]) => [label, f.rps.toFixed(0), f.p50.toFixed(2), f.p99.toFixed(2), f.cpuUs.toFixed(1), String(f.errors)]);
    for (const line of [["", "req/s", "p50 ms", "p99 ms", "CPU us/req", "errors"], ...table])
      console.log(line.map((cell, c) => (c === 0 ? cell.padEnd(26) : cell.padStart(c === 4 ? 12 : 9))).join(""));
    const ratio = cairn.rps / nginx.rps;
    ratios.push(ratio);
    const p99 = cairn.p99 - nginx.p99;
    console.log(
      `cairn / nginx: ${(ratio * 100).toFixed(1)}% of req/s (target >= 60%), p99 ${p99 >= 0 ? "+" : ""}${p99.toFixed(2)} ms (target <= +1 ms), ${(cairn.cpuUs / nginx.cpuUs).toFixed(1)}x nginx's CPU per request`,
    );
  }
  if (ratios.length > 1) {
    console.log(
      `\nmedian cairn / nginx over ${ratios.length} runs: ${(median(ratios) * 100).toFixed(1)}% of req/s (runs: ${ratios.map((r) => (r * 100).toFixed(1)).join(", ")})`,
    );
  }
  const telemetryRuns = Number(values["telemetry-runs"]);
  if (telemetryRuns > 0) await compareTelemetry(upstream, upstreamPid, telemetryRuns);
}

try {
  await main();
} finally {
  for (const child of children) child.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 200));
  rmSync(dir, { recursive: true, force: true });
}
