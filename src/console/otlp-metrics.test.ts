/**
 * A running console receiving OTLP metrics at `/v1/metrics` from OpenTelemetry's own exporters
 * (protobuf and JSON): the Metrics page's API gives back the latest point of each series, histograms
 * with p50 and p95, the stack's secret values taken out; it needs a session, the receiver does not
 * (but refuses a cross-origin page).
 */
import { OTLPMetricExporter as JsonMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as ProtoMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../runtime/ports.js";
import type { Session } from "../runtime/stack-runner/session.js";
import { sendMetrics } from "../test-support/otel-metrics.js";
import type { Console } from "./console.js";
import type { metricsView } from "./metrics-view.js";
import { login, startWithConsole, TEST_APP } from "./testing/stack.js";

let session: Session;
let server: Console;
let base: string;
let cookie: string;

beforeAll(async () => {
  ({ session, console: server } = await startWithConsole(
    `name: measured
secrets:
  API_TOKEN: token for the API
  PIN: a numeric secret
services:
  web:
    run: node ${TEST_APP}
    port: ${await freePort()}
    health: { path: /health, interval: 200ms, healthy: 1 }
    env: { TOKEN: "\${secret.API_TOKEN}", PIN: "\${secret.PIN}" }
`,
    { ".env": "API_TOKEN=s3cr3t-t0k3n-value\nPIN=987654321\n" },
  ));
  base = `http://127.0.0.1:${server.port}`;
  ({ cookie } = await login(server));
}, 60_000);

afterAll(async () => {
  await session?.close();
});

type View = ReturnType<typeof metricsView>;
const read = async (): Promise<View> => (await (await fetch(`${base}/api/metrics`, { headers: { cookie } })).json()) as View;

describe("the console's OTLP metrics", () => {
  for (const [service, make] of [
    ["shop-proto", (url: string) => new ProtoMetricExporter({ url })],
    ["shop-json", (url: string) => new JsonMetricExporter({ url })],
  ] as const)
    it(`shows what ${service} sends with an SDK exporter through /api/metrics`, async () => {
      await sendMetrics(make(`${base}/v1/metrics`), service);
      const view = await read();
      expect(view.services).toContain(service);
      const mine = view.series.filter((s) => s.service === service);
      expect(mine.map((s) => s.name).sort()).toEqual(["checkout.duration", "orders.paid", "orders.paid", "pool.size", "queue.depth"]);
      expect(mine.find((s) => s.name === "orders.paid" && s.attributes.currency === "eur")).toMatchObject({
        kind: "sum",
        monotonic: true,
        temporality: "cumulative",
        value: 5,
        unit: "{order}",
      });
      expect(mine.find((s) => s.name === "pool.size")).toMatchObject({ kind: "gauge", value: 1.5 });
      // Buckets 10/100/1000 hold 1, 3, 1, 1 of the six values: p50 is 70 (inside 10..100), p95 the last bound.
      expect(mine.find((s) => s.name === "checkout.duration")?.histogram).toEqual({ count: 6, sum: 5685, p50: 70, p95: 1000 });
      expect(view.capacity).toBe(2_000);
      expect(view.dropped).toEqual([]);
    });

  it("takes the stack's secrets out of names, attributes and values, and says what it dropped", async () => {
    const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const body = {
      resourceMetrics: [
        {
          resource: { attributes: [attribute("service.name", "leaky")] },
          scopeMetrics: [
            {
              metrics: [
                { name: "logins", gauge: { dataPoints: [{ asInt: "987654321", attributes: [attribute("token", "s3cr3t-t0k3n-value")] }] } },
                { name: "sizes", summary: { dataPoints: [{}, {}] } },
              ],
            },
          ],
        },
      ],
    };
    const reply = await fetch(`${base}/v1/metrics`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(reply.status).toBe(200);
    const view = await read();
    const leaky = view.series.find((s) => s.service === "leaky");
    expect(leaky).toMatchObject({ name: "logins", value: "[secret PIN]", attributes: { token: "[secret API_TOKEN]" } });
    expect(JSON.stringify(view)).not.toMatch(/s3cr3t|987654321/);
    expect(view.dropped).toEqual([{ reason: "summaries are not decoded", count: 2 }]);
  });

  it("serves the page and its API to a session only; refuses a cross-origin post to the receiver", async () => {
    expect((await fetch(`${base}/api/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/app-metrics`)).status).toBe(401);
    const page = await fetch(`${base}/app-metrics`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<body data-page="metrics">');
    const crossSite = await fetch(`${base}/v1/metrics`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://evil.example" },
      body: "{}",
    });
    expect(crossSite.status).toBe(403);
    const bad = await fetch(`${base}/v1/metrics`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(bad.status).toBe(400);
    expect((await fetch(`${base}/api/metrics`, { headers: { cookie } })).status).toBe(200);
  });
});
