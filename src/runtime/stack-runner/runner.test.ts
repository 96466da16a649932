import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { hasErrors, loadStack } from "../../load/load.js";
import { waitFor } from "../../test-support/wait.js";
import { load } from "../gateway/testing.js";
import { type Clock, systemClock } from "../scheduler/clock.js";
import type { LogLine } from "../supervisor/log-sink.js";
import { freePort } from "../supervisor/ports.js";
import { sendControl } from "./control.js";
import { StackError } from "./runner.js";
import { Session } from "./session.js";

const app = join(import.meta.dirname, "..", "supervisor", "test-app.mjs");
const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

async function open(yaml: string, files: Record<string, string> = {}, watch = false, clock?: Clock) {
  const dir = mkdtempSync(join(tmpdir(), "cairn-runner-"));
  writeFileSync(join(dir, "cairn.yaml"), yaml);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const analysis = await loadStack(join(dir, "cairn.yaml"), dir, { lint: false });
  const stack = analysis.stacks.values().next().value;
  if (hasErrors(analysis) || !stack) throw new Error(analysis.diagnostics.map((d) => d.message).join("\n"));
  const lines: LogLine[] = [];
  const session = new Session(stack, { cwd: dir, env: { PATH: process.env.PATH }, onLog: (l) => lines.push(l), watch, clock });
  sessions.push(session);
  return { dir, session, lines };
}

const fast = "{ path: /health, interval: 200ms, timeout: 500ms, healthy: 1, unhealthy: 2 }";

describe("stack runner", () => {
  it("starts in dependency order, waiting for health, and renders each process's environment", async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const { session, lines } = await open(
      `name: order
secrets:
  API_TOKEN: token for the API
  SESSION_KEY: { generate: true }
services:
  a:
    run: node ${app}
    port: ${portA}
    health: ${fast}
    env: { NAME: a }
  b:
    run: node ${app}
    port: ${portB}
    health: ${fast}
    depends_on: [a]
    env: { NAME: b, GREETING: "\${secret.API_TOKEN}-\${a.url}", KEY: "\${secret.SESSION_KEY}" }
`,
      { ".env": "# test values\nAPI_TOKEN=t0k3n\n" },
    );
    await session.start();
    const report = await session.ps();
    const [a, b] = report.services.map((s) => s.replicas[0]);
    expect(a?.state).toBe("healthy");
    const aHealthy = lines.find((l) => l.source === "a.1" && l.text.startsWith("healthy"))?.time.getTime() ?? 0;
    const bStarted = lines.find((l) => l.source === "b.1" && l.text.startsWith("started"))?.time.getTime() ?? 0;
    expect(bStarted).toBeGreaterThanOrEqual(aHealthy);
    const hello = await (await fetch(`http://127.0.0.1:${b?.port}/`)).text();
    expect(hello).toContain(`hello from b pid ${b?.pid} t0k3n-http://127.0.0.1:${a?.port}`);
    const generated = readFileSync(join(session.runner.paths.dir, "secrets.env"), "utf8");
    expect(generated).toMatch(/^SESSION_KEY=[\w-]{32}\n$/);
    expect(lines.map((l) => l.text).join("\n")).not.toContain(generated.slice(12, 40));
  });

  it("refuses to start with a missing secret, naming it and who uses it", async () => {
    const { session } = await open(`name: s
secrets: { DB_PASSWORD: database password }
services:
  api: { run: node ${app}, port: 3000, env: { PW: "\${secret.DB_PASSWORD}" } }
`);
    const error = await session.start().catch((e: Error) => e);
    expect(error).toBeInstanceOf(StackError);
    expect((error as StackError).message).toBe("missing secret: DB_PASSWORD (used by api)");
    expect((error as StackError).hint).toContain(".env");
  });

  it("says the edge port is taken, and keeps serving when one service cannot start", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    const taken = (blocker.address() as { port: number }).port;
    const routes = (port: number) => `routes: [{ path: /, to: good }]\nedge: { port: ${port} }\n`;
    const services = `name: bad
services:
  good: { run: node ${app}, port: 3000, health: ${fast} }
  broken: { run: no-such-command-xyz --serve, port: 3001, health: ${fast} }
  after: { run: node ${app}, port: 3002, depends_on: [broken] }
`;
    const first = await open(services + routes(taken));
    await expect(first.session.start()).rejects.toThrow(`the edge port ${taken} is already in use by another program`);
    blocker.close();
    const second = await open(services + routes(await freePort()));
    await second.session.start();
    const problems = second.session.runner.problems.map((p) => `${p.name}: ${p.message}`);
    const log = join(second.session.runner.paths.logs, "broken.1.log");
    expect(problems).toEqual([
      `broken: broken.1 command not found: \`no-such-command-xyz --serve\`; its output: ${log}`,
      "after: not started: it depends on broken, which did not start",
    ]);
    expect(readFileSync(log, "utf8")).toContain("not found");
    const url = second.session.runner.url;
    expect(await (await fetch(`${url}/`)).text()).toContain("hello from app");
  });

  it("replaces a changed service one replica at a time under load with no failed request; refuses an invalid edit", async () => {
    const port = await freePort();
    const yaml = (greeting: string) => `name: roll
services:
  web:
    run: node ${app}
    port: 3000
    replicas: 2
    health: ${fast}
    env: { GREETING: ${greeting} }
routes: [{ path: /, to: web }]
edge: { port: ${port} }
`;
    const { session, dir } = await open(yaml("one"));
    await session.start();
    const traffic = load(port, "/", 4, { key: (body) => body.trim().split(" ").pop() ?? "" });
    await traffic.served(20);
    writeFileSync(join(dir, "cairn.yaml"), yaml("two"));
    const answer = await session.reload();
    expect(answer).toMatchObject({ ok: true, result: { replaced: ["web"], failed: [] } });
    writeFileSync(join(dir, "cairn.yaml"), `${yaml("three")}\nservices: [oops`);
    const refused = await session.reload();
    expect(refused.ok).toBe(false);
    await traffic.served(20);
    const result = await traffic.stop();
    expect(result.failed).toEqual([]);
    expect(result.ok).toBeGreaterThan(40);
    expect([...result.byBody.keys()].sort()).toEqual(["one", "two"]);
    expect((await session.ps()).services[0]?.replicas.map((r) => r.state)).toEqual(["healthy", "healthy"]);
  });

  it("gives each service one address at the gateway: callers reach every replica, and still do after a reload replaces them", async () => {
    const [edge, apiPort, webPort] = [await freePort(), await freePort(), await freePort()];
    const yaml = (greeting: string, extra = "") => `name: addr
services:
  api: { run: node ${app}, port: ${apiPort}, replicas: 2, health: ${fast}, env: { NAME: api, GREETING: ${greeting} } }
  web: { run: node ${app}, port: ${webPort}, health: ${fast}, env: { NAME: web, UPSTREAM: "\${api.url}" } }
${extra}
routes: [{ path: /, to: web }${extra ? ", { path: /extra, to: extra, strip: true }" : ""}]
edge: { port: ${edge} }
`;
    const { session, dir } = await open(yaml("one"));
    await session.start();
    const via = async () => (await fetch(`http://127.0.0.1:${edge}/via`)).text();
    const pids = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const text = await via();
      expect(text).toMatch(new RegExp(`^via http://127\\.0\\.0\\.1:${apiPort}: hello from api pid \\d+ one$`));
      pids.add(text.split(" pid ")[1] ?? "");
    }
    expect(pids.size).toBe(2);
    const webPid = (await session.ps()).services.find((s) => s.name === "web")?.replicas[0]?.pid;
    writeFileSync(
      join(dir, "cairn.yaml"),
      yaml("two", `  extra: { run: node ${app}, port: 3999, health: ${fast}, env: { NAME: extra, UPSTREAM: "\${api.url}" } }`),
    );
    const answer = await session.reload();
    expect(answer).toMatchObject({ ok: true, result: { started: ["extra"], replaced: ["api"], failed: [] } });
    expect(await via()).toMatch(/: hello from api pid \d+ two$/);
    expect((await session.ps()).services.find((s) => s.name === "web")?.replicas[0]?.pid).toBe(webPid);
    expect(await (await fetch(`http://127.0.0.1:${edge}/extra/via`)).text()).toMatch(/^via http:\/\/127\.0\.0\.1:\d+: hello from api pid \d+ two$/);
    // Removed, then added back: it gets its address again.
    writeFileSync(join(dir, "cairn.yaml"), yaml("two"));
    expect(await session.reload()).toMatchObject({ ok: true, result: { stopped: ["extra"] } });
    writeFileSync(join(dir, "cairn.yaml"), yaml("two", `  extra: { run: node ${app}, port: 3999, health: ${fast}, env: { NAME: extra } }`));
    expect(await session.reload()).toMatchObject({ ok: true, result: { started: ["extra"] } });
    const extra = (await session.ps()).services.find((s) => s.name === "extra")?.address ?? "";
    expect(await (await fetch(`${extra}/`)).text()).toMatch(/^hello from extra/);
  });

  it("runs a job through the running stack's control socket and shows its last run in ps", async () => {
    const { session, dir } = await open(
      `name: jobs
jobs:
  hello:
    run: node -e "require('fs').writeFileSync('hello.txt', process.argv.slice(1).join(','))"
    args: ["\${run.date}"]
    schedule: "0 3 * * *"
    timezone: Asia/Tokyo
`,
      {},
      false,
      { ...systemClock, now: () => new Date("2026-12-06T18:00:00Z") },
    );
    await session.start();
    const answer = await sendControl<{ ok: boolean; record: { status: string; log: string } }>(session.runner.paths.socket, {
      op: "run",
      job: "hello",
      args: [],
    });
    expect(answer?.record.status).toBe("succeeded");
    // 18:00 UTC is already the next day in Tokyo.
    expect(readFileSync(join(dir, "hello.txt"), "utf8")).toBe("2026-12-07");
    // Arguments sent with the run replace the job's own.
    const given = await sendControl<{ ok: boolean; record: { status: string } }>(session.runner.paths.socket, { op: "run", job: "hello", args: ["x", "y"] });
    expect(given?.record.status).toBe("succeeded");
    expect(readFileSync(join(dir, "hello.txt"), "utf8")).toBe("x,y");
    const [job] = (await session.ps()).jobs;
    expect(job).toMatchObject({ name: "hello", schedule: "0 3 * * *", running: 0, lastRun: { status: "succeeded", exitCode: 0 } });
    expect(job?.nextRun).toBe("2026-12-07T18:00:00.000Z");
  });

  it("carries a dashboard's WebSocket through the gateway under a path prefix (the hand-written RFC 6455 endpoint)", async () => {
    const port = await freePort();
    const dashboard = join(import.meta.dirname, "..", "..", "..", "examples", "forestguard", "app", "dashboard.mjs");
    const { session } = await open(`name: ws
services:
  dashboard:
    run: node ${dashboard}
    port: 8501
    websockets: true
    base_path: /fg
    health: { path: /fg/healthz, interval: 200ms, healthy: 1 }
routes: [{ path: /fg, to: dashboard }]
edge: { port: ${port} }
`);
    await session.start();
    const page = await (await fetch(`http://127.0.0.1:${port}/fg/`)).text();
    expect(page).toContain('"/fg/_stcore/stream"');
    const ws = new WebSocket(`ws://127.0.0.1:${port}/fg/_stcore/stream`);
    const long = "x".repeat(70_000);
    const echoes = await new Promise<string[]>((resolve, reject) => {
      const got: string[] = [];
      ws.once("open", () => {
        ws.send("hello");
        ws.send(long);
      });
      ws.on("message", (data) => {
        got.push(data.toString());
        if (got.length === 2) resolve(got);
      });
      ws.once("error", reject);
    });
    ws.close();
    expect(echoes).toEqual(["hello", long]);
  });

  it("restarts a replica killed with SIGKILL under steady load while the gateway keeps every request answered", async () => {
    const port = await freePort();
    const { session } = await open(`name: kill
services:
  web:
    run: node ${app}
    port: 3000
    replicas: 2
    health: { path: /health, interval: 200ms, timeout: 300ms, healthy: 2, unhealthy: 2 }
    restart: { delay: 200ms }
routes: [{ path: /, to: web }]
edge: { port: ${port} }
`);
    await session.start();
    const victim = session.runner.parts.supervisor?.replicas("web")[0];
    const pid = victim?.pid ?? 0;
    const traffic = load(port, "/", 4);
    await traffic.served(20);
    process.kill(pid, "SIGKILL");
    await waitFor(() => victim?.pid !== pid && victim?.snapshot().state === "healthy", 10_000, "the killed replica to come back");
    await session.runner.parts.gateway?.waitHealthy("web", "web.1", 10_000);
    await traffic.served(20);
    const result = await traffic.stop();
    expect(result.failed).toEqual([]);
    expect(result.ok).toBeGreaterThan(40);
    const replica = (await session.ps()).services[0]?.replicas[0];
    expect(replica).toMatchObject({ restarts: 1, lastExit: "killed by SIGKILL", state: "healthy" });
    expect(replica?.pid).not.toBe(pid);
  });

  it("applies an edit of the watched stack file by itself", async () => {
    const port = await freePort();
    const yaml = (greeting: string) => `name: watched
services:
  web: { run: node ${app}, port: 3000, health: ${fast}, env: { GREETING: ${greeting} } }
routes: [{ path: /, to: web }]
edge: { port: ${port} }
`;
    const { session, dir } = await open(yaml("before"), {}, true);
    await session.start();
    writeFileSync(join(dir, "cairn.yaml"), yaml("after"));
    const text = await waitFor(
      async () => {
        const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
        return body.includes("after") ? body : null;
      },
      15_000,
      "the edit to be applied",
    );
    expect(text).toContain("after");
  });

  it("names the service whose own port is taken, and one that never becomes healthy", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    const taken = (blocker.address() as { port: number }).port;
    const sickPort = await freePort();
    const { session } = await open(`name: ports
services:
  dash: { run: node ${app}, port: ${taken} }
  sick: { run: sleep 30, port: ${sickPort}, health: { path: /health, interval: 100ms, healthy: 1, unhealthy: 1 } }
`);
    await session.start();
    blocker.close();
    const problems = session.runner.problems.map((p) => `${p.name}: ${p.message.replace(/; its output: .*$/, "")}`);
    expect(problems).toEqual([
      `dash: port ${taken} is already in use by another program; stop it or change services.dash.port`,
      `sick: sick.1 never became healthy within 5.2 s (last check: connection refused (127.0.0.1:${sickPort}))`,
    ]);
  }, 15_000);
});
