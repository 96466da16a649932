/**
 * `cairn verify` on a real `cairn up` of CityFlow (a copy with a free edge port and a rate limit):
 * the running gateway's routes, health paths and the dashboard's WebSocket pass; a dead address
 * fails with exit code 1; the rate limit answers 429 when probed; nothing running is a clear error.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../runtime/ports.js";
import { runCli } from "../../runtime/stack-runner/test-helpers.js";
import { captureContext, repoRoot } from "../../test-support/index.js";
import type { VerifyReport } from "../../verify/index.js";
import { main } from "../main.js";

// Inside the repository, so the example's app resolves ws and the AWS SDK from its node_modules.
const dir = join(repoRoot, "test-artifacts", `verify-cityflow-${process.pid}`);
const idle = join(repoRoot, "test-artifacts", `verify-idle-${process.pid}`);
let port: number;

function copy(to: string, edge: string): void {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const part of ["app", "data", "cairn.yaml"]) cpSync(join(repoRoot, "examples/cityflow", part), join(to, part), { recursive: true });
  const yaml = readFileSync(join(to, "cairn.yaml"), "utf8").replace("edge: { port: 8080, tls: false }", edge);
  expect(yaml).toContain(edge);
  writeFileSync(join(to, "cairn.yaml"), yaml);
}

async function verify(args: string[]) {
  const context = captureContext(repoRoot, { NO_COLOR: "1" }, new Date());
  const code = await main(["verify", ...args], context);
  return { code, out: context.out(), err: context.err() };
}

beforeAll(async () => {
  port = await freePort();
  copy(dir, `edge: { port: ${port}, tls: false, rate_limit: 60/min }`);
  copy(idle, `edge: { port: ${await freePort()}, tls: false }`);
  const up = await runCli(["up", "-d"], { cwd: dir });
  expect(up.code, up.stderr + up.stdout).toBe(0);
}, 120_000);

afterAll(async () => {
  await runCli(["down"], { cwd: dir });
  rmSync(dir, { recursive: true, force: true });
  rmSync(idle, { recursive: true, force: true });
}, 60_000);

describe("cairn verify on a local cairn up", { timeout: 60_000 }, () => {
  it("passes the gateway's routes, health paths and the dashboard's WebSocket, in aligned lines", async () => {
    const { code, out, err } = await verify([dir]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines[0]).toBe(`cityflow (local) at http://127.0.0.1:${port}`);
    const rows = lines.slice(1, -1).filter((l) => /^ {2}\S/.test(l));
    expect(rows.map((l) => l.split(/\s{2,}/).slice(1, 3))).toEqual([
      ["ok", "route"],
      ["ok", "route"],
      ["ok", "health"],
      ["ok", "health"],
      ["ok", "websocket"],
      ["skip", "tls"],
      ["skip", "rate-limit"],
    ]);
    expect(out).toContain(`ws://dashboard.localhost:${port}/live`);
    expect(out).toMatch(/dashboard: 101 upgraded in \d+ ms/);
    expect(lines.at(-1)).toMatch(/^5 checks: 5 passed, 2 skipped in \d+\.\d s$/);
  });

  it("--json gives the checks as data", async () => {
    const { code, out } = await verify([dir, "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(out) as VerifyReport;
    expect(report).toMatchObject({ stack: "cityflow", environment: "local", ok: true, counts: { pass: 5, fail: 0, skip: 2 } });
    expect(report.checks.find((c) => c.kind === "health" && c.service === "api")).toMatchObject({
      target: `http://api.localhost:${port}/health`,
      status: "pass",
    });
  });

  it("exits 1 when a check fails: nothing answers at the address given", async () => {
    const closed = await freePort();
    const { code, out } = await verify([dir, "--url", `http://127.0.0.1:${closed}`]);
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL {2}route .* api: connection refused/);
    expect(out.trimEnd().split("\n").at(-1)).toMatch(/^5 checks: 0 passed, 5 failed, 3 skipped in/);
  });

  it("says so when the local stack is not running, and when a CA file is missing", async () => {
    const stopped = await verify([idle]);
    expect(stopped.code).toBe(1);
    expect(stopped.err).toBe(
      `error: nothing is running for ${join(idle, "cairn.yaml")} (local)\nhint: Start it with \`cairn up\`, or probe a deployed environment with \`cairn verify --env NAME\`.\n`,
    );
    const ca = await verify([dir, "--ca", "no-such-ca.pem"]);
    expect(ca.code).toBe(1);
    expect(ca.err).toContain("error: --ca no-such-ca.pem: no such file");
  });

  it("says when a deployed environment has no address to probe, and what to give", async () => {
    const lone = join(repoRoot, "test-artifacts", `verify-lone-${process.pid}`);
    mkdirSync(lone, { recursive: true });
    writeFileSync(join(lone, "cairn.yaml"), "name: lone\nservices: { web: { run: node web.mjs, port: 3000 } }\nenvironments: { mvp: { target: vm } }\n");
    try {
      const { code, err } = await verify([lone, "--env", "mvp"]);
      expect(code).toBe(1);
      expect(err).toBe(
        "error: the environment mvp has no public address to probe\nhint: Give one with --url https://<address>, or set `domain:` or `hosts:` on the environment.\n",
      );
    } finally {
      rmSync(lone, { recursive: true, force: true });
    }
  });

  it("--probe-limits finds the gateway's 429 within the bound (run last: the limit then holds this client back)", async () => {
    const { code, out } = await verify([dir, "--probe-limits"]);
    expect(code).toBe(0);
    const sent = Number(/rate-limit .* 429 after (\d+) requests \(limit 60\)/.exec(out)?.[1]);
    // The earlier verifies of this file count too (five requests each).
    expect(sent).toBeGreaterThan(40);
    expect(sent).toBeLessThanOrEqual(80);
  });
});
