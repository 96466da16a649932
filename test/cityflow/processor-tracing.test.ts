/**
 * The CityFlow processor (a job: its process ends) traces each day it processes, against the local
 * stores and Cairn's own OTLP receiver: a root `process-day` span with the day's counts, a client span
 * per bucket or table call under it, all sent before the process exits; a failed day is an error span;
 * a receiver that never answers changes neither the exit code nor the output.
 */
import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OtlpServer, startOtlpServer } from "../../src/runtime/telemetry/otlp-server.js";
import type { SpanRecord } from "../../src/runtime/telemetry/span.js";
import { SpanStore } from "../../src/runtime/telemetry/span-store.js";
import { type CityflowStores, startStores } from "./stack.js";
import { EXAMPLE, node } from "./support.js";

let stores: CityflowStores;
let store: SpanStore;
let otlp: OtlpServer;

beforeAll(async () => {
  store = new SpanStore(5000);
  otlp = await startOtlpServer({ store });
  stores = await startStores();
}, 60_000);
afterAll(async () => {
  await stores?.close();
  await otlp?.close();
});

/** A receiver that accepts connections and never answers (each export waits on it). */
async function silentReceiver(): Promise<{ url: string; held: Socket[]; close(): void }> {
  const held: Socket[] = [];
  const server: Server = createServer((socket) => held.push(socket));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const close = () => {
    for (const socket of held) socket.destroy();
    server.close();
  };
  return { url: `http://127.0.0.1:${address.port}`, held, close };
}

const traced = () => ({ ...stores.envOf("processor"), OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_SERVICE_NAME: "processor" });
const roots = (date: string) =>
  store.latest().filter((s) => s.service === "processor" && s.name === "process-day" && s.parentSpanId === null && s.attributes["cityflow.date"] === date);

describe("the cityflow processor's spans", () => {
  it("sends one trace per day before it exits: process-day with the counts, a client span per S3 or DynamoDB call under it", async () => {
    const run = await node(["app/processor.mjs", "2025-11-03..2025-11-04"], traced());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    // No wait: the process flushed its spans before it exited.
    for (const date of ["2025-11-03", "2025-11-04"]) {
      const [root, ...others] = roots(date);
      expect(others).toEqual([]);
      if (!root) throw new Error(`no process-day span for ${date}`);
      const rows = run.stdout.match(new RegExp(`processor: ${date}: (\\d+) rows from (\\d+) files`));
      expect(root.attributes).toMatchObject({
        "cityflow.rows": rows?.[1],
        "cityflow.files": rows?.[2],
        "cityflow.written": "true",
        "cityflow.metrics": "4",
      });
      expect(Number(root.attributes["cityflow.report.bytes"])).toBeGreaterThan(0);
      expect(root.statusCode).toBe(0);
      const children = store.ofTrace(root.traceId).filter((s) => s !== root);
      expect(children.every((s) => s.parentSpanId === root.spanId && s.kind === 3 && s.statusCode === 0)).toBe(true);
      const count = (name: string) => children.filter((s) => s.name === name).length;
      expect(count("S3.ListObjectsV2")).toBe(3);
      expect(count("S3.GetObject")).toBe(Number(rows?.[2]));
      expect(count("S3.PutObject")).toBe(1);
      expect(count("DynamoDB.Put")).toBe(5);
      expect(children).toHaveLength(9 + Number(rows?.[2]));
      const put = children.find((s) => s.name === "S3.PutObject");
      expect(put?.attributes).toMatchObject({ "aws.s3.bucket": "cityflow-reports-paris", "aws.s3.key": `daily/cityflow-${date}.csv` });
      // Children lie within the day's span.
      for (const s of children) expect(s.start >= root.start && s.start + s.durationMs <= root.start + root.durationMs + 1).toBe(true);
    }
    expect(roots("2025-11-03")[0]?.traceId).not.toBe(roots("2025-11-04")[0]?.traceId);
  });

  it("marks a day that fails as an error, with the failed call under it, and keeps the exit codes (1, and 2 for a bad date)", async () => {
    const run = await node(["app/processor.mjs", "2025-11-05"], { ...traced(), DYNAMODB_ENDPOINT: "http://127.0.0.1:9" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^processor: error while writing 2025-11-05 .*ECONNREFUSED/m);
    const [root] = roots("2025-11-05");
    expect(root?.statusCode).toBe(2);
    expect(root?.statusMessage).toMatch(/^error while writing 2025-11-05 to cityflow-metrics/);
    const failed: SpanRecord[] = store.ofTrace(root?.traceId ?? "").filter((s) => s.statusCode === 2 && s !== root);
    expect(failed.map((s) => [s.name, s.parentSpanId])).toEqual([["DynamoDB.Put", root?.spanId]]);
    // A bad argument is still exit code 2, before any day, so without a span.
    const before = store.total;
    const bad = await node(["app/processor.mjs", "2025-13-01"], traced());
    expect([bad.code, bad.stderr]).toEqual([2, 'processor: error: "2025-13-01" is not a date: give YYYY-MM-DD (such as 2025-11-04) or FROM..TO\n']);
    expect(store.total).toBe(before);
  });

  it("keeps its exit code and output when the receiver never answers", async () => {
    const silent = await silentReceiver();
    const quiet = await node(["app/processor.mjs", "2025-11-04"], stores.envOf("processor"));
    const run = await node(["app/processor.mjs", "2025-11-04"], { ...traced(), OTEL_EXPORTER_OTLP_ENDPOINT: silent.url });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(silent.held.length).toBeGreaterThan(0);
    const steady = (text: string) => text.replace(/in [\d.]+s \(\d+ rows\/s\)/g, "");
    expect(steady(run.stdout)).toBe(steady(quiet.stdout));
    silent.close();
  });
});

describe("the tracer's close", () => {
  it("waits no longer than asked, even when an export would wait much longer, and counts what it could not send", async () => {
    const tracing = (await import(pathToFileURL(join(EXAMPLE, "app", "lib", "tracing.mjs")).href)) as {
      createTracer(o: object): { start(name: string): { end(): void }; close(o?: { waitMs?: number }): Promise<void>; stats: object };
    };
    const silent = await silentReceiver();
    // Each export would wait 10 minutes (far past this test's own timeout): only close's bound can end it.
    const tracer = tracing.createTracer({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: silent.url }, timeoutMs: 600_000, maxBatch: 2 });
    for (let i = 0; i < 5; i++) tracer.start(`span ${i}`).end();
    await tracer.close({ waitMs: 200 });
    expect(tracer.stats).toEqual({ sent: 0, dropped: 0, failed: 5 });
    silent.close();
  });
});
