/**
 * The console in a real browser (Debian Chromium through playwright-core), against the CityFlow and
 * Harena examples running for real: one browser, the checks one after the other. Screenshots land in
 * test-artifacts/console/ to be looked at.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, findChromium } from "../diagram/chromium.js";
import { freePort } from "../runtime/ports.js";
import type { Session } from "../runtime/stack-runner/session.js";
import { removeDir, repo } from "../runtime/stack-runner/test-helpers.js";
import { traceOf } from "../runtime/telemetry/trace.js";
import { waitFor } from "../test-support/wait.js";
import type { Console } from "./console.js";
import { startExample } from "./testing/stack.js";

const ARTIFACTS = join(repo, "test-artifacts", "console");
const started: { dir: string; session: Session; console: Console }[] = [];
let browser: Browser;
let cityflow: { dir: string; session: Session; console: Console };
let harena: { dir: string; session: Session; console: Console };
let cityPort: number;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const executablePath = findChromium(process.env);
  if (!executablePath) throw new Error("no Chromium: install Debian's chromium package");
  browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  cityPort = await freePort();
  cityflow = await startExample("cityflow", (t) => t.replace("edge: { port: 8080, tls: false }", `edge: { port: ${cityPort}, tls: false }`));
  started.push(cityflow);
  const harenaPort = await freePort();
  harena = await startExample("harena", (t) => t.replace("edge: { port: 8000, tls: false }", `edge: { port: ${harenaPort}, tls: false }`), {
    ".env": "DATABASE_URL=postgres://test@127.0.0.1:1/test\nBONSAI_URL=http://127.0.0.1:1\nSECRET_KEY=test-only-key\nLLM_API_KEY=test-only-llm\n",
  });
  started.push(harena);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const s of started.splice(0)) {
    await s.session.close();
    removeDir(s.dir);
  }
});

/** GET through the gateway with a Host header and a `traceparent` (Node does not resolve `*.localhost`). */
function viaGateway(port: number, host: string, path: string, traceparent: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { host: `${host}:${port}`, traceparent } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The rows of a trace's waterfall: span id, parent, service, name and depth. */
async function spanRows(page: Page) {
  return page.locator("tr[data-span]").evaluateAll((rows) =>
    rows.map((r) => ({
      span: r.getAttribute("data-span"),
      parent: r.getAttribute("data-parent"),
      service: r.getAttribute("data-service"),
      depth: Number(r.getAttribute("data-depth")),
      name: r.querySelector("button.span-name")?.textContent ?? "",
    })),
  );
}

/** A browser context logged in to a console through its one-time link. */
async function loggedIn(server: Console): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.hostname !== "127.0.0.1" || url.port !== String(server.port)) throw new Error(`the page asked for ${request.url()}`);
  });
  await page.goto(server.loginUrl());
  return { context, page };
}

describe("the console in Chromium", { timeout: 120_000 }, () => {
  it("answers 401 to a browser without the token", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const answer = await page.goto(`http://127.0.0.1:${cityflow.console.port}/services`);
    expect(answer?.status()).toBe(401);
    await context.close();
  });

  it("cityflow overview: the diagram coloured by state, each environment's cost, the alarms, and live updates", async () => {
    const { context, page } = await loggedIn(cityflow.console);
    expect(page.url()).toBe(`http://127.0.0.1:${cityflow.console.port}/`);
    await page.locator('g.box[data-id="service:api"][data-state="up"]').waitFor();
    await page.locator('g.box[data-id="resource:raw"][data-state="up"]').waitFor();
    const costs = await page.locator("table", { hasText: "Monthly cost" }).textContent();
    expect(costs).toMatch(/mvpvm\$\d+\.\d\d/);
    expect(costs).toMatch(/recommendedvm\$\d+\.\d\d/);
    expect(await page.locator("table", { hasText: "Alarms" }).textContent()).toContain("cpu > 80% for 5m");
    expect(await page.locator("main").textContent()).not.toMatch(/\bnull\b|undefined/);
    const before = Number((await page.getAttribute("body", "data-updates")) ?? 0);
    await expect.poll(async () => Number((await page.getAttribute("body", "data-updates")) ?? 0), { timeout: 30_000 }).toBeGreaterThan(before);
    await expect(page.locator("#live").textContent()).resolves.toBe("live");
    await page.screenshot({ path: join(ARTIFACTS, "cityflow-overview.png"), fullPage: true });
    await context.close();
  });

  it("cityflow services: replicas with pid and samples; restarting one changes its pid", async () => {
    const { context, page } = await loggedIn(cityflow.console);
    await page.goto(`http://127.0.0.1:${cityflow.console.port}/services`);
    const pid = page.locator('tr[data-replica="api.1"] td.pid');
    await pid.waitFor();
    const before = await pid.textContent();
    expect(Number(before)).toBeGreaterThan(0);
    expect(await page.locator('tr[data-replica="dashboard.1"] td.state').textContent()).toMatch(/healthy|running/);
    await page.getByRole("button", { name: "restart api.1" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(async () => pid.textContent(), { timeout: 60_000 }).toMatch(new RegExp(`^(?!${before}$)\\d+$`));
    await page.screenshot({ path: join(ARTIFACTS, "cityflow-services.png"), fullPage: true });
    await context.close();
  });

  it("cityflow jobs: run now, then the run with its duration, exit code and log", async () => {
    const { context, page } = await loggedIn(cityflow.console);
    await page.goto(`http://127.0.0.1:${cityflow.console.port}/jobs`);
    await page.getByRole("button", { name: "run processor now" }).click();
    const row = page.locator("tr[data-run]").first();
    await expect.poll(async () => row.textContent(), { timeout: 90_000 }).toMatch(/succeeded|failed/);
    const text = await row.textContent();
    expect(text).toMatch(/\d+\.\d s/);
    expect(text).toMatch(/succeeded0log$/);
    const logHref = await row.locator("a").getAttribute("href");
    const log = await page.evaluate(async (href) => (await fetch(href ?? "")).text(), logHref);
    expect(log).toContain("exited (exit code 0)");
    await page.screenshot({ path: join(ARTIFACTS, "cityflow-jobs.png"), fullPage: true });
    // The run is a trace: its process-day span, sent before the process exited, under the job's name.
    await page.goto(`http://127.0.0.1:${cityflow.console.port}/traces?service=processor&q=process-day`);
    const day = page.locator("tr[data-trace]").first();
    await day.waitFor();
    expect(await day.textContent()).toMatch(/process-day—processor\d+/);
    await context.close();
  });

  it("cityflow logs: merged and live, filtered by service and by text", async () => {
    const { context, page } = await loggedIn(cityflow.console);
    await page.goto(`http://127.0.0.1:${cityflow.console.port}/logs`);
    await page.locator(".log li").first().waitFor();
    const services = new Set(await page.locator(".log li").evaluateAll((items) => items.map((i) => i.getAttribute("data-service")))).size;
    expect(services).toBeGreaterThan(1);
    await page.getByLabel("Service").selectOption("job:processor");
    const shownServices = async () => [...new Set(await page.locator(".log li").evaluateAll((items) => items.map((i) => i.getAttribute("data-service"))))];
    await expect.poll(shownServices, { timeout: 30_000 }).toEqual(["job:processor"]);
    expect(page.url()).toContain("service=job%3Aprocessor");
    await page.getByLabel("Service").selectOption("");
    await page.getByLabel("Text").fill("restart api.1");
    const shownTexts = async () => [...new Set(await page.locator(".log li .text").evaluateAll((items) => items.map((i) => i.textContent)))];
    await expect.poll(shownTexts, { timeout: 30_000 }).toEqual(["console: restart api.1"]);
    await page.screenshot({ path: join(ARTIFACTS, "cityflow-logs.png") });
    await context.close();
  });

  it("cityflow metrics: a process's OTLP metrics by service, filtered from the keyboard, live", async () => {
    const base = `http://127.0.0.1:${cityflow.console.port}`;
    const send = (value: number) =>
      fetch(`${base}/v1/metrics`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          resourceMetrics: [
            {
              resource: { attributes: [{ key: "service.name", value: { stringValue: "api" } }] },
              scopeMetrics: [
                {
                  metrics: [
                    { name: "orders.paid", unit: "{order}", sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ asInt: String(value) }] } },
                    { name: "pool.size", gauge: { dataPoints: [{ asDouble: 3 }] } },
                  ],
                },
              ],
            },
          ],
        }),
      });
    expect((await send(41)).status).toBe(200);
    const { context, page } = await loggedIn(cityflow.console);
    await page.goto(`${base}/app-metrics`);
    const orders = page.locator('tr[data-metric="orders.paid"]');
    await orders.waitFor();
    expect(await orders.textContent()).toContain("counter, cumulative41{order}");
    // The name filter from the keyboard: type, then Enter submits the form.
    await page.getByLabel("Metric").focus();
    await page.keyboard.type("orders");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("tr[data-metric]").count()).toBe(1);
    expect(page.url()).toContain("name=orders");
    // Live: a new point replaces the shown one without a reload.
    expect((await send(42)).status).toBe(200);
    await expect.poll(async () => orders.textContent(), { timeout: 15_000 }).toContain("cumulative42");
    await page.screenshot({ path: join(ARTIFACTS, "cityflow-metrics.png") });
    await context.close();
  });

  it("cityflow data: the seeded objects of the raw bucket, and a table's items", async () => {
    const { context, page } = await loggedIn(cityflow.console);
    await page.goto(`http://127.0.0.1:${cityflow.console.port}/data`);
    await page.getByRole("button", { name: "raw (bucket)" }).click();
    const seeded = readdirSync(join(repo, "examples", "cityflow", "data", "raw"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    await page.locator("table", { hasText: "Objects in cityflow-raw-data-paris" }).waitFor();
    const listed = await page.locator("table tbody tr").count();
    expect(listed).toBe(seeded.length);
    const first = seeded[0]?.name ?? "";
    expect(await page.locator("table").textContent()).toContain(first);
    // The processor writes metrics only for days the sample holds: the test puts one item itself.
    const table = cityflow.session.runner.parts.resources.get("metrics");
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: String(table?.attributes.endpoint),
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      }),
    );
    await doc.send(new PutCommand({ TableName: "cityflow-metrics", Item: { metric_type: "traffic", date: "2025-11-03", value: 42 } }));
    doc.destroy();
    await page.getByRole("button", { name: "metrics (table)" }).click();
    await page.locator("table", { hasText: "Scan of cityflow-metrics" }).waitFor();
    await expect.poll(async () => page.locator("table tbody tr").count()).toBeGreaterThan(0);
    expect(await page.locator("table", { hasText: "Scan of cityflow-metrics" }).textContent()).toContain("2025-11-03");
    await page.screenshot({ path: join(ARTIFACTS, "cityflow-data.png"), fullPage: true });
    await context.close();
  });

  it("cityflow traces: a request through the gateway into the API shows both spans, parent and child, and its log lines", async () => {
    const traceId = randomBytes(16).toString("hex");
    const caller = randomBytes(8).toString("hex");
    expect(await viaGateway(cityPort, "api.localhost", "/metrics/traffic?from=2025-11-03&to=2025-11-03", `00-${traceId}-${caller}-01`)).toBe(200);
    const telemetry = cityflow.session.telemetry;
    // The API sends its spans in batches (every 0.5 s): wait until the gateway's, the API's and its query's are in.
    await waitFor(() => telemetry && traceOf(telemetry, traceId).length === 3, 15_000, "the trace's three spans");
    const { context, page } = await loggedIn(cityflow.console);
    await page.goto(`http://127.0.0.1:${cityflow.console.port}/traces`);
    const listed = page.locator(`tr[data-trace="${traceId}"]`);
    await listed.waitFor();
    expect(await listed.textContent()).toContain("cairn-gateway, api");
    await listed.getByRole("link").click();
    await page.locator('tr[data-service="api"]').first().waitFor();
    const rows = await spanRows(page);
    const gateway = rows.find((r) => r.service === "cairn-gateway");
    const server = rows.find((r) => r.service === "api" && r.name === "GET /metrics/:type");
    const query = rows.find((r) => r.name === "DynamoDB.Query");
    expect(gateway).toMatchObject({ parent: caller, depth: 0 });
    expect(server).toMatchObject({ parent: gateway?.span, depth: 1 });
    expect(query).toMatchObject({ service: "api", parent: server?.span, depth: 2 });
    expect(rows.map((r) => r.span)).toEqual([gateway?.span, server?.span, query?.span]);
    // The request's lines: the gateway's record of it, and the API's access line naming the trace.
    const lines = page.locator(".trace-log li");
    await page.locator('.trace-log li[data-service="api"]').waitFor({ timeout: 30_000 });
    const texts = await lines.evaluateAll((items) => items.map((i) => `${i.getAttribute("data-service")}|${i.querySelector(".text")?.textContent}`));
    expect(texts).toContainEqual(
      expect.stringMatching(/^cairn-gateway\|GET \/metrics\/traffic\?from=2025-11-03&to=2025-11-03 200 [\d.]+ms request_id=\S+ → api\.1$/),
    );
    expect(texts).toContainEqual(
      expect.stringMatching(
        new RegExp(`^api\\|api: GET /metrics/traffic\\?from=2025-11-03&to=2025-11-03 200 [\\d.]+ms trace_id=${traceId} span_id=${server?.span}$`),
      ),
    );
    await page.getByRole("button", { name: "GET /metrics/:type" }).click();
    await expect.poll(async () => page.locator(".span-details").textContent()).toContain("http.route/metrics/:type");
    expect(await page.locator("main").textContent()).not.toMatch(/\bundefined\b|NaN/);
    await page.screenshot({ path: join(ARTIFACTS, "trace-waterfall.png"), fullPage: true });
    // On the Logs page, the API's line links to its trace.
    await page.goto(`http://127.0.0.1:${cityflow.console.port}/logs?text=${traceId}`);
    await page.locator(".log li a.trace-link").first().click();
    await page.waitForURL(`**/traces?id=${traceId}`);
    await page.locator('tr[data-service="api"]').first().waitFor();
    await context.close();
  });

  it("cityflow traces: a dashboard request runs gateway → dashboard → gateway → API → table, one trace", async () => {
    const traceId = randomBytes(16).toString("hex");
    expect(await viaGateway(cityPort, "dashboard.localhost", "/data", `00-${traceId}-${randomBytes(8).toString("hex")}-01`)).toBe(200);
    const telemetry = cityflow.session.telemetry;
    // The edge's span, the dashboard's, its five calls to the API, each through the gateway to an API span
    // with its table or bucket call under it: 22 spans, from three senders.
    await waitFor(() => telemetry && traceOf(telemetry, traceId).length === 22, 15_000, "the trace's 22 spans");
    const { context, page } = await loggedIn(cityflow.console);
    await page.goto(`http://127.0.0.1:${cityflow.console.port}/traces?id=${traceId}`);
    await page.locator('tr[data-service="api"]').first().waitFor();
    const rows = await spanRows(page);
    const byId = new Map(rows.map((r) => [r.span, r]));
    const dashboard = rows.find((r) => r.service === "dashboard" && r.name === "GET /data");
    expect(byId.get(dashboard?.parent ?? null)?.service).toBe("cairn-gateway");
    const calls = rows.filter((r) => r.service === "dashboard" && r.parent === dashboard?.span);
    expect(calls.map((c) => c.name).sort()).toEqual(
      ["GET /metrics/bikes", "GET /metrics/chantiers", "GET /metrics/comptages", "GET /metrics/traffic", "GET /reports"].sort(),
    );
    // The dashboard reaches the API at its service address, which the gateway balances: a gateway span between.
    for (const call of calls) {
      const balancer = rows.find((r) => r.service === "cairn-gateway" && r.parent === call.span);
      expect(balancer?.depth).toBe(3);
      expect(rows.some((r) => r.service === "api" && r.parent === balancer?.span && r.depth === 4)).toBe(true);
    }
    expect(rows.filter((r) => r.depth === 5 && /^(DynamoDB|S3)\./.test(r.name))).toHaveLength(5);
    await page.screenshot({ path: join(ARTIFACTS, "trace-waterfall-dashboard.png"), fullPage: true });
    await context.close();
  });

  it("cityflow traces list: filtered by service, root text and duration with the keyboard, the filters kept in the URL", async () => {
    const traceId = randomBytes(16).toString("hex");
    const other = randomBytes(16).toString("hex");
    expect(await viaGateway(cityPort, "api.localhost", "/reports", `00-${traceId}-${randomBytes(8).toString("hex")}-01`)).toBe(200);
    expect(await viaGateway(cityPort, "api.localhost", "/metrics/bikes", `00-${other}-${randomBytes(8).toString("hex")}-01`)).toBe(200);
    const telemetry = cityflow.session.telemetry;
    await waitFor(() => telemetry && traceOf(telemetry, traceId).length === 3 && traceOf(telemetry, other).length === 3, 15_000, "both traces' spans");
    const { context, page } = await loggedIn(cityflow.console);
    await page.goto(`http://127.0.0.1:${cityflow.console.port}/traces`);
    const listed = page.locator(`tr[data-trace="${traceId}"]`);
    const unlisted = page.locator(`tr[data-trace="${other}"]`);
    await listed.waitFor();
    await unlisted.waitFor();
    await page.getByLabel("Service").focus();
    await page.getByLabel("Service").selectOption("api");
    await page.getByLabel("Root span or path").focus();
    await page.keyboard.type("REPORTS");
    await page.waitForURL((url) => url.search === "?service=api&q=REPORTS");
    await unlisted.waitFor({ state: "detached" });
    await listed.waitFor();
    const paths = async () => page.locator("tr[data-trace] td:nth-child(3)").evaluateAll((cells) => cells.map((c) => c.textContent ?? ""));
    expect((await paths()).every((p) => p.toLowerCase().includes("reports"))).toBe(true);
    await page.reload();
    await listed.waitFor();
    expect(await page.getByLabel("Service").inputValue()).toBe("api");
    expect(await page.getByLabel("Root span or path").inputValue()).toBe("REPORTS");
    expect(await unlisted.count()).toBe(0);
    await page.getByLabel("Min duration (ms)").fill("600000");
    await page.getByText("No trace matches these filters.").waitFor();
    expect(new URL(page.url()).searchParams.get("minMs")).toBe("600000");
    await page.screenshot({ path: join(ARTIFACTS, "traces-filtered.png"), fullPage: true });
    await context.close();
  });

  it("harena services: the three APIs healthy, secrets never shown", async () => {
    const { context, page } = await loggedIn(harena.console);
    await page.goto(`http://127.0.0.1:${harena.console.port}/services`);
    for (const name of ["user-service", "search-service", "conversation-service"])
      await page.locator(`tr[data-replica="${name}.1"] td.state[data-state="healthy"]`).waitFor();
    await page.goto(`http://127.0.0.1:${harena.console.port}/logs`);
    await page.locator(".log li").first().waitFor();
    const all = await page.content();
    expect(all).not.toContain("test-only-key");
    expect(all).not.toContain("test-only-llm");
    await page.goto(`http://127.0.0.1:${harena.console.port}/`);
    await page.locator('g.box[data-id="service:user-service"][data-state="up"]').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "harena-overview.png"), fullPage: true });
    await context.close();
  });
});
