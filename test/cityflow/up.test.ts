/**
 * CityFlow end to end under `cairn up`: a copy of the example (with a free edge port) started with
 * `cairn up -d`, the processor run with `cairn run`, the API read through the gateway, the report read
 * from the local S3 endpoint with the AWS SDK, the dashboard checked in Chromium through the gateway, then
 * `cairn down` and `cairn up` again: the metrics are still there. Start times are printed for the notes.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../src/runtime/ports.js";
import { readEndpoint } from "../../src/runtime/resources/index.js";
import { repoRoot } from "../../src/test-support/index.js";
import { ARTIFACTS, EXAMPLE, expected, type Metric } from "./support.js";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const DAY = "2025-11-04";
const exec = promisify(execFile);

/** Runs the built CLI; resolves with its exit code and output. */
async function cairn(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  try {
    const { stdout, stderr } = await exec(process.execPath, [join(repoRoot, "bin/cairn.js"), ...args], {
      cwd: repoRoot,
      maxBuffer: 1 << 24,
      env: { ...process.env, NO_COLOR: "1" },
    });
    return { code: 0, stdout, stderr, ms: Date.now() - started };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "", ms: Date.now() - started };
  }
}

/** GET through the gateway with a Host header (Node does not resolve `*.localhost`; browsers do). */
function viaGateway(port: number, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { host: `${host}:${port}`, accept: "application/json" } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => {
        body += c.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("cityflow under cairn up", () => {
  // Inside the repository, so the app resolves the AWS SDK and ws from its node_modules.
  const dir = join(ARTIFACTS, `cityflow-up-${process.pid}`);
  let port: number;

  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const part of ["app", "data", "cairn.yaml"]) cpSync(join(EXAMPLE, part), join(dir, part), { recursive: true });
    port = await freePort();
    const yaml = readFileSync(join(dir, "cairn.yaml"), "utf8").replace("edge: { port: 8080, tls: false }", `edge: { port: ${port}, tls: false }`);
    expect(yaml).toContain(`port: ${port}, tls: false`);
    writeFileSync(join(dir, "cairn.yaml"), yaml.replace("# yaml-language-server: $schema=../../schema/cairn.schema.json\n", ""));
  });

  afterAll(async () => {
    await cairn(["down", dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the pipeline, serves it through the gateway, keeps the data across down and up", async () => {
    const cold = await cairn(["up", dir, "-d"]);
    expect(cold.code, cold.stderr + cold.stdout).toBe(0);
    // Every URL `cairn up` prints answers (a host-routed stack has none at the bare gateway address).
    const printed = [...new Set(cold.stdout.match(/http:\/\/[^\s]+/g) ?? [])];
    expect(printed.length).toBeGreaterThan(1);
    expect(cold.stdout).toContain(`gateway on port ${port}`);
    // The console's link (with its one-time token) answers by setting the session and redirecting.
    const consoleLink = printed.filter((url) => new URL(url).searchParams.has("token"));
    expect(consoleLink).toHaveLength(1);
    for (const url of printed) {
      const { hostname, port: p, pathname, search } = new URL(url);
      const answer = await viaGateway(Number(p), hostname, pathname + search);
      expect([url, answer.status]).toEqual([url, consoleLink.includes(url) ? 303 : 200]);
    }

    const run = await cairn(["run", "processor", "-s", dir, "--", DAY]);
    expect(run.code, run.stderr + run.stdout).toBe(0);

    const metrics = await viaGateway(port, "api.localhost", `/metrics?date=${DAY}`);
    expect(metrics.status).toBe(200);
    const byType = Object.fromEntries((JSON.parse(metrics.body) as { metrics: Metric[] }).metrics.map((m) => [m.metric_type, m]));
    for (const [type, values] of Object.entries(expected(DAY))) expect(byType[type]?.values, type).toMatchObject(values);

    const endpoint = await readEndpoint(join(dir, ".cairn/local/resources/reports"));
    expect(endpoint).not.toBeNull();
    const s3 = new S3Client({
      region: "eu-west-3",
      endpoint: endpoint?.attributes.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: "t", secretAccessKey: "t" },
    });
    const object = await s3.send(new GetObjectCommand({ Bucket: endpoint?.attributes.name, Key: `daily/cityflow-${DAY}.csv` }));
    expect(await object.Body?.transformToString()).toContain(`${DAY},traffic,total_flow,${expected(DAY).traffic.total_flow}\n`);
    s3.destroy();

    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(e.message));
      expect((await page.goto(`http://dashboard.localhost:${port}/`))?.status()).toBe(200);
      await page.waitForSelector("body[data-loaded=true]");
      await page.waitForSelector('#status[data-live="true"]');
      const bar = await page.locator("#chart-traffic svg rect.bar").first().boundingBox();
      expect(bar?.height).toBeGreaterThan(0);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, "cityflow-dashboard-cairn-up.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }

    const down = await cairn(["down", dir]);
    expect(down.code, down.stderr).toBe(0);
    const warm = await cairn(["up", dir, "-d"]);
    expect(warm.code, warm.stderr + warm.stdout).toBe(0);
    const again = await viaGateway(port, "api.localhost", `/metrics/traffic?from=${DAY}&to=${DAY}`);
    expect((JSON.parse(again.body) as { metrics: Metric[] }).metrics[0]?.value).toBe(expected(DAY).traffic.total_flow);
    process.stdout.write(`cityflow cairn up: cold ${cold.ms} ms, warm ${warm.ms} ms, processor run ${run.ms} ms\n`);
  }, 180_000);
});
