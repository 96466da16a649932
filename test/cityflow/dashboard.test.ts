/**
 * The CityFlow dashboard in a real browser (Debian Chromium driven by playwright-core), through Cairn's
 * gateway with the example's own routes (`dashboard.localhost`), on the local stores: the page loads, the
 * charts are drawn, no console errors, a new day processed appears without a reload (WebSocket push), and
 * the page works under a BASE_PATH too. A screenshot is saved under test-artifacts/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "../../src/runtime/gateway/index.js";
import type { Gateway } from "../../src/runtime/gateway/types.js";
import { type CityflowStores, type Running, startNode, startStores } from "./stack.js";
import { ARTIFACTS, node } from "./support.js";

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

/** Console errors and uncaught exceptions of a page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

describe("cityflow dashboard in Chromium", () => {
  let stores: CityflowStores;
  let api: Running;
  let dashboard: Running;
  let prefixed: Running;
  let gateway: Gateway;
  let gatewayPort: number;
  let browser: Browser;

  beforeAll(async () => {
    stores = await startStores();
    const processed = await node(["app/processor.mjs", "2025-11-03..2025-11-08"], stores.envOf("processor"));
    expect(processed.code).toBe(0);
    api = await startNode("app/api.mjs", stores.envOf("api", 0));
    stores.addService("api", api.port);
    dashboard = await startNode("app/dashboard.mjs", stores.envOf("dashboard", 0));
    prefixed = await startNode("app/dashboard.mjs", { ...stores.envOf("dashboard", 0), BASE_PATH: "/city/flow" });
    gateway = createGateway({ stack: stores.stack, host: "127.0.0.1", port: 0, drainMs: 500 });
    gatewayPort = (await gateway.start()).port;
    gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port: api.port }]);
    gateway.setTargets("dashboard", [{ id: "dashboard-1", host: "127.0.0.1", port: dashboard.port }]);
    await Promise.all([gateway.waitHealthy("api", "api-1"), gateway.waitHealthy("dashboard", "dashboard-1")]);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await Promise.all([dashboard?.stop(), prefixed?.stop(), api?.stop()]);
    await stores?.close();
  });

  it("draws the charts and the table through the gateway, live, without console errors", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors = watchErrors(page);
    const response = await page.goto(`http://dashboard.localhost:${gatewayPort}/`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector("body[data-loaded=true]");
    await page.waitForSelector('#status[data-live="true"]');

    const bars = page.locator("#chart-traffic svg rect.bar");
    expect(await bars.count()).toBe(6);
    const box = await bars.first().boundingBox();
    expect(box?.width).toBeGreaterThan(0);
    expect(box?.height).toBeGreaterThan(0);
    const line = await page.locator("#chart-traffic svg path.line").getAttribute("d");
    expect(line).toMatch(/^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+){5}$/);
    expect(await page.locator("#chart-chantiers svg rect.bar").count()).toBeGreaterThan(3);
    expect(await page.locator("#table tbody tr").count()).toBe(6);
    expect(await page.locator("#table tbody tr").first().locator("td").first().textContent()).toBe("2025-11-08");

    // A new day processed while the page is open appears without a reload.
    const more = await node(["app/processor.mjs", "2025-11-09"], stores.envOf("processor"));
    expect(more.code).toBe(0);
    await page.waitForFunction('document.querySelectorAll("#table tbody tr").length === 7', null, { timeout: 15_000 });
    expect(await bars.count()).toBe(7);
    expect(await page.locator("#district-day").textContent()).toBe("Sun 09/11"); // the latest day follows, until one is picked
    await page.locator("#table tbody tr").nth(2).click();
    expect(await page.locator("#district-day").textContent()).toBe("Fri 07/11");

    // The report link, relative, goes through the gateway to the API and the bucket.
    const href = await page.locator("#table tbody tr").first().locator("a").getAttribute("href");
    expect(href).toBe("reports/2025-11-09");
    const csv = await page.evaluate(async (h) => (await fetch(h as string)).text(), href);
    expect(csv.split("\n")[0]).toBe("date,metric_type,metric,value");

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "cityflow-dashboard.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("works under a BASE_PATH: relative links and the WebSocket follow the prefix", async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`http://127.0.0.1:${prefixed.port}/city/flow`);
    expect(new URL(page.url()).pathname).toBe("/city/flow/");
    await page.waitForSelector("body[data-loaded=true]");
    await page.waitForSelector('#status[data-live="true"]');
    expect(await page.locator("#chart-bikes svg rect.bar").count()).toBe(7);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("answers its health check and says when the API is unreachable", async () => {
    const health = await fetch(`http://127.0.0.1:${dashboard.port}/healthz`);
    expect(await health.json()).toEqual({ status: "ok" });
    const orphan = await startNode("app/dashboard.mjs", { API_URL: "http://127.0.0.1:9" });
    try {
      const res = await fetch(`http://127.0.0.1:${orphan.port}/data`);
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: string }).error).toContain("the API at http://127.0.0.1:9 did not answer");
    } finally {
      await orphan.stop();
    }
  });
});
