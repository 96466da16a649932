import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { main } from "../../cli/main.js";
import { captureContext } from "../../test-support/index.js";
import { freePort } from "../ports.js";
import type { PsReport } from "./snapshot.js";
import { readRunner, statePaths } from "./state-dir.js";
import { copyExample, removeDir, startCli, survivors, waitFor } from "./test-helpers.js";

/** Runs a verb in this process (the detached daemon of `up -d` is still a process of its own). */
async function runCli(args: readonly string[], options: { cwd: string; now?: Date }) {
  const context = captureContext(options.cwd, { ...process.env, NO_COLOR: "1" }, options.now);
  const code = await main(args, context);
  return { code, stdout: context.out(), stderr: context.err() };
}

const app = join(import.meta.dirname, "..", "supervisor", "test-app.mjs");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

async function stackDir(edgePort: number, edgeExtra = ""): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "cairn-cli-"));
  dirs.push(dir);
  writeFileSync(
    join(dir, "cairn.yaml"),
    `name: orphans
services:
  web:
    run: node ${app}
    port: 3000
    replicas: 2
    health: { path: /health, interval: 200ms, healthy: 1 }
    env: { GRANDCHILD: "1" }
routes: [{ path: /, to: web }]
edge: { port: ${edgePort}${edgeExtra} }
alarms: [ "memory > 95% for 1m" ]
`,
  );
  return dir;
}

async function psJson(dir: string): Promise<PsReport & { running: boolean }> {
  const ps = await runCli(["ps", "--json"], { cwd: dir });
  return JSON.parse(ps.stdout);
}

const pidsOf = (report: PsReport) => report.services.flatMap((s) => s.replicas.map((r) => r.pid ?? 0));

describe("cairn up, ps, down as processes", { timeout: 120_000 }, () => {
  it("leaves no process behind when cairn up is killed with SIGKILL", async () => {
    const dir = await stackDir(await freePort());
    const up = startCli(["up"], { cwd: dir });
    await waitFor(() => up.stdout().includes("Ctrl-C stops everything"), 20_000, "cairn up to start");
    expect(up.stdout()).toMatch(/web\s+http:\/\/localhost:\d+\/\s+2 replicas\s+healthy/);
    const report = await psJson(dir);
    const pids = pidsOf(report);
    expect(pids.filter((p) => p > 0)).toHaveLength(2);
    expect(survivors([], pids).length).toBeGreaterThanOrEqual(4);
    up.child.kill("SIGKILL");
    await up.exited;
    await waitFor(() => survivors([], pids).length === 0, 8000, "the replicas and their children to end");
  });

  it("cairn up -d returns once healthy; cairn down stops everything; Ctrl-C (SIGINT) in the foreground too", async () => {
    const port = await freePort();
    const dir = await stackDir(port, ", waf: [sqli, xss]");
    const started = await runCli(["up", "-d"], { cwd: dir });
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    expect(started.stdout).toContain("! edge: not applied by the local gateway, applied by the build targets: waf (sqli, xss)");
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain("hello from app");
    const report = await psJson(dir);
    expect(report.running).toBe(true);
    const address = report.services[0]?.address ?? "";
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${address}/`)).text()).toContain("hello from app");
    const ps = await runCli(["ps"], { cwd: dir });
    expect(ps.stdout).toMatch(/SERVICE\s+REPLICA\s+STATE\s+HEALTH\s+GATEWAY\s+PID\s+PORT\s+RESTARTS\s+UPTIME\s+CPU\s+MEM/);
    expect(ps.stdout).toMatch(/web\s+web\.2\s+healthy\s+healthy\s+routed\s+\d+/);
    // The alarm is evaluated on the replicas' memory from the first measure on.
    expect(ps.stdout).toMatch(/ALARM\s+ON\s+STATE\s+SINCE\s+VALUE\nmemory > 95% for 1m\s+web\s+OK\s+\d+s\s+[\d.]+%\n/);
    expect(report.alarms).toMatchObject([{ alarm: "memory > 95% for 1m", metric: "memory", subject: "web", state: "OK", threshold: 95, forMs: 60_000 }]);
    expect(report.scaling).toEqual({ services: [], decisions: [] });
    const again = await runCli(["up", "-d"], { cwd: dir });
    expect(again.stderr).toContain(`is already running (cairn up pid ${report.pid})`);
    const pids = [...pidsOf(report), report.pid];
    const down = await runCli(["down"], { cwd: dir });
    expect(down.stdout).toContain(`stopped (cairn up pid ${report.pid})`);
    expect(survivors(pids)).toEqual([]);
    expect((await psJson(dir)).running).toBe(false);

    const fg = startCli(["up"], { cwd: dir });
    await waitFor(() => fg.stdout().includes("Ctrl-C stops everything"), 20_000, "cairn up to start");
    const fgPids = pidsOf(await psJson(dir));
    fg.child.kill("SIGINT");
    expect(await fg.exited).toBe(130);
    expect(survivors([...fgPids, fg.child.pid ?? 0])).toEqual([]);
  });

  it("cairn up -d with a service's port taken by another program stops everything it started and says why", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const dir = mkdtempSync(join(tmpdir(), "cairn-taken-"));
      dirs.push(dir);
      writeFileSync(join(dir, "cairn.yaml"), `name: taken\nservices:\n  web: { run: node ${app}, port: ${taken} }\n`);
      const up = await runCli(["up", "-d"], { cwd: dir });
      expect(up.code).toBe(1);
      expect(up.stderr).toContain(`error: taken (local) did not start: web could not start (above), so the rest was stopped too`);
      expect(up.stdout).toContain(`web: port ${taken} is already in use by another program`);
      expect(readRunner(statePaths(dir, "local"))).toBeNull();
      expect((await psJson(dir)).running).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it("starts over a runner.json left by a crash whose pid now belongs to another process", async () => {
    const dir = await stackDir(await freePort());
    const paths = statePaths(dir, "local");
    mkdirSync(paths.dir, { recursive: true });
    writeFileSync(
      paths.runner,
      JSON.stringify({ pid: process.pid, socket: join(dir, "gone.sock"), file: "", environment: "local", startedAt: "", edgeUrl: null }),
    );
    const down = await runCli(["down"], { cwd: dir });
    expect(down.stdout).toContain("nothing is running");
    const up = await runCli(["up", "-d"], { cwd: dir });
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    await runCli(["down"], { cwd: dir });
  });

  it("a job using a bucket gets the bucket's name, endpoint and the environment's region", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-region-"));
    dirs.push(dir);
    writeFileSync(
      join(dir, "cairn.yaml"),
      `name: regional
region: eu-west-3
resources:
  files: { type: bucket }
jobs:
  show:
    run: node -e "console.log([process.env.AWS_REGION, process.env.FILES_BUCKET, process.env.S3_ENDPOINT].join(' '))"
    depends_on: [files]
`,
    );
    const shown = await runCli(["run", "show"], { cwd: dir });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/job:show \| eu-west-3 regional-local-files http:\/\/127\.0\.0\.1:\d+/);
  });

  it("cairn ps names the buckets an application created at run time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-runtime-buckets-"));
    dirs.push(dir);
    writeFileSync(join(dir, "cairn.yaml"), "name: made\nresources:\n  files: { type: bucket }\n");
    expect((await runCli(["up", "-d"], { cwd: dir })).code).toBe(0);
    const { port } = JSON.parse(readFileSync(join(dir, ".cairn", "local", "resources", "files", "endpoint.json"), "utf8")) as { port: number };
    expect((await fetch(`http://127.0.0.1:${port}/made-by-the-app`, { method: "PUT" })).status).toBe(200);
    expect((await psJson(dir)).runtimeBuckets).toEqual(["made-by-the-app"]);
    expect((await runCli(["ps"], { cwd: dir })).stdout).toContain("created at run time, not in the stack file (no target creates them): made-by-the-app");
    await runCli(["down"], { cwd: dir });
  });

  it("cairn run runs a job now without cairn up: arguments, its own log, its exit code", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-run-"));
    dirs.push(dir);
    writeFileSync(
      join(dir, "cairn.yaml"),
      `name: jobs
jobs:
  report:
    run: node write.mjs
    args: ["\${run.date}"]
    schedule: daily at 02:00
    timezone: Pacific/Kiritimati
  late: { run: node write.mjs, args: ["\${run.date}"], timezone: Pacific/Honolulu }
  broken: { run: "node -e 'process.exit(4)'" }
`,
    );
    writeFileSync(
      join(dir, "write.mjs"),
      `import { writeFileSync } from "node:fs"; writeFileSync("out.txt", process.argv.slice(2).join(" ")); console.log("written");`,
    );
    // ${run.date} is the date in the job's zone, not in UTC: at 12:00 UTC Kiritimati (UTC+14) is on the next day,
    // and at 05:00 UTC Honolulu (UTC-10) is still on the day before, whether the job has a schedule or not.
    const ok = await runCli(["run", "report"], { cwd: dir, now: new Date("2026-12-06T12:00:00Z") });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/job:report \| written/);
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("2026-12-07");
    expect((await runCli(["run", "late"], { cwd: dir, now: new Date("2026-12-06T05:00:00Z") })).code).toBe(0);
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("2026-12-05");
    // Arguments after -- replace the job's own, as a command given to `docker run` replaces CMD.
    const dated = await runCli(["run", "report", "--", "2025-11-04", "--dry"], { cwd: dir });
    expect(dated.code).toBe(0);
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("2025-11-04 --dry");
    const bad = await runCli(["run", "broken"], { cwd: dir });
    expect(bad.code).toBe(4);
    expect(bad.stdout).toContain("broken: failed");
    const unknown = await runCli(["run", "nope"], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error: jobs has no job named "nope"\nhint: Jobs: report, late, broken.');
    const logs = await runCli(["logs", "report"], { cwd: dir });
    expect(logs.stdout).toMatch(/job:report \| written/);
  });
});

describe("the example stacks end to end", { timeout: 120_000 }, () => {
  it("harena: secrets from .env, three services and the static front end behind the gateway", async () => {
    const port = await freePort();
    const dir = copyExample("harena", (t) => t.replace("edge: { port: 8000, tls: false }", `edge: { port: ${port}, tls: false }`));
    dirs.push(dir);
    const missing = await runCli(["up", "-d"], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("missing secrets: BONSAI_URL (used by search), DATABASE_URL (used by db), LLM_API_KEY (used by conversation-service)");
    writeFileSync(
      join(dir, ".env"),
      "DATABASE_URL=postgres://test@127.0.0.1:1/test\nBONSAI_URL=http://127.0.0.1:1\nSECRET_KEY=test-only\nLLM_API_KEY=test-only\n",
    );
    const up = await runCli(["up", "-d"], { cwd: dir });
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    try {
      const get = async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).json();
      expect(await get("/health")).toEqual({ status: "ok", service: "user" });
      expect(await get("/api/user/me")).toMatchObject({ service: "user", database: "configured" });
      expect(await get("/api/conversation/1")).toMatchObject({ service: "conversation", search_service: "ok" });
      const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(page).toContain(`<code id="api">http://localhost:${port}</code>`);
      expect(up.stdout).not.toContain("test-only");
    } finally {
      await runCli(["down"], { cwd: dir });
    }
  });

  it("mangetamain: the dashboard on its own port, health and the WebSocket channel", async () => {
    const port = await freePort();
    const dir = copyExample("mangetamain", (t) => t.replace("    port: 8501\n", `    port: ${port}\n`));
    dirs.push(dir);
    const up = await runCli(["up", "-d"], { cwd: dir });
    expect(up.code).toBe(0);
    try {
      expect(up.stdout).toContain(`http://127.0.0.1:${port}/`);
      expect(await (await fetch(`http://127.0.0.1:${port}/_stcore/health`)).text()).toBe("ok");
      const ws = new WebSocket(`ws://127.0.0.1:${port}/_stcore/stream`);
      const echo = await new Promise<string>((resolve, reject) => {
        ws.once("open", () => ws.send("ping 42"));
        ws.once("message", (data) => resolve(data.toString()));
        ws.once("error", reject);
      });
      ws.close();
      expect(echo).toBe("ping 42");
    } finally {
      await runCli(["down"], { cwd: dir });
    }
  });
});
