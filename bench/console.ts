/**
 * The console's two budgets, measured:
 *   npm run bench:console
 * 1. The front end's size: every file the console serves to the page (src/console/assets), raw and
 *    gzipped, against the 200 kB budget.
 * 2. Its memory, as the heap held after a full collection (the script runs itself again with
 *    --expose-gc, in a child process):
 *    - the log view after 10,000 lines, then after 110,000 (it keeps the last 10,000: the figure must
 *      not grow), typical (120-character) and long (5,000-character, kept cut to 2,000) lines, each
 *      through a replica's LogSink in 64 kB pipe chunks as `cairn up` gives them; and chunks of a
 *      30,000-character line and a short one, against what the kept text itself takes (a store of
 *      views would hold every chunk: 164 MB measured before the copy, 21 MB with it);
 *    - the console's stores (10,000 log lines, the last requests, the per-route counts and the
 *      snapshots the Requests page keeps, the spans) after 10,000, 100,000 and 200,000 requests,
 *      recorded with `Telemetry.record` as the gateway does, over 40 routes of 8 services, every
 *      status class and a distinct path each, and one span each received as OTLP/JSON: the figure
 *      must stop growing once the stores are full;
 *    - 100,000 requests each with its own route label, against the per-route entries' limit;
 *    - the OTLP metric series (the latest point of each), received as OTLP/JSON: typical points (3
 *      short attributes, a 16-bucket histogram) and points at every limit (32 attributes of 256
 *      characters, 256 buckets), after the 2,000 series the store keeps and after more new series.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET = 200 * 1024;
const here = fileURLToPath(new URL(".", import.meta.url));
const assets = join(here, "..", "src", "console", "assets");

if (!process.argv.includes("--child")) {
  let raw = 0;
  let gz = 0;
  for (const name of readdirSync(assets).sort()) {
    const bytes = readFileSync(join(assets, name));
    const zipped = gzipSync(bytes).length;
    raw += bytes.length;
    gz += zipped;
    console.log(`${name.padEnd(12)} ${String(bytes.length).padStart(8)} B raw ${String(zipped).padStart(8)} B gzip`);
  }
  console.log(
    `${"bundle".padEnd(12)} ${String(raw).padStart(8)} B raw ${String(gz).padStart(8)} B gzip | budget ${BUDGET} B | x${(raw / BUDGET).toFixed(3)} of it`,
  );
  const child = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url), "--child"], { stdio: "inherit" });
  process.exit(child.status ?? 1);
}

const { LINE_CHARS, LOG_CAPACITY, LogStore } = await import("../src/console/logs.js");
const { TRAFFIC_SAMPLES } = await import("../src/console/console.js");
const { LogSink } = await import("../src/runtime/supervisor/log-sink.js");
const { MAX_ATTRIBUTES, MAX_VALUE_CHARS } = await import("../src/runtime/telemetry/otlp-common.js");
const { DEFAULT_METRIC_SERIES, MetricStore } = await import("../src/runtime/telemetry/metric-store.js");
const { decodeJsonMetrics } = await import("../src/runtime/telemetry/otlp-metrics-json.js");
const { DEFAULT_RING_SIZE } = await import("../src/runtime/telemetry/request-ring.js");
const { MAX_ROUTE_ENTRIES } = await import("../src/runtime/telemetry/request-stats.js");
const { readRequests } = await import("../src/runtime/telemetry/snapshot.js");
const { DEFAULT_SPAN_CAPACITY } = await import("../src/runtime/telemetry/span-store.js");
const { Telemetry } = await import("../src/runtime/telemetry/telemetry.js");
const { receiveSpans, recordRequests, syntheticRequest } = await import("../src/runtime/telemetry/testing.js");
const { PassThrough } = await import("node:stream");

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
/** Heap in use once collected, letting the event loop turn between collections (closed streams let go). */
const heap = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
};
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`.padStart(8);
const count = (n: number) => n.toLocaleString("en-US").padStart(7);

/** Lines of `width` characters written by a replica in 64 kB pipe chunks, through its LogSink into `store`. */
async function pipeLines(store: InstanceType<typeof LogStore>, from: number, to: number, width: number): Promise<void> {
  const sink = new LogSink("/dev/null", "api.1", (line) => store.add(line));
  const out = new PassThrough();
  sink.follow(out, "out");
  const ended = new Promise((resolve) => out.on("end", resolve));
  const pad = "x".repeat(Math.max(0, width - 30));
  let chunk = "";
  for (let i = from; i < to; i++) {
    chunk += `${String(i).padStart(7)} ${i % 9 ? "INFO " : "ERROR"} GET /api ${pad}\n`;
    if (chunk.length >= 65_536) {
      out.write(chunk);
      chunk = "";
    }
  }
  out.end(chunk);
  await ended;
  await sink.close();
}

/**
 * Lines written two to a chunk: a 30,000-character one (a process printing a large document), then a
 * short note. A store keeping views of its lines would keep each whole chunk for the note's sake.
 */
async function pipeWide(store: InstanceType<typeof LogStore>, from: number, to: number): Promise<void> {
  const sink = new LogSink("/dev/null", "api.1", (line) => store.add(line));
  const out = new PassThrough();
  sink.follow(out, "out");
  const ended = new Promise((resolve) => out.on("end", resolve));
  const wide = "x".repeat(30_000);
  for (let i = from; i < to; i += 2) out.write(`${i} ${wide}\n${i + 1} INFO stored\n`);
  out.end();
  await ended;
  await sink.close();
}

type Fill = (store: InstanceType<typeof LogStore>, from: number, to: number) => Promise<void>;

/** The log view alone: the heap it holds after 10,000 lines, then after `more`; and what its characters take. */
async function logView(label: string, fill: Fill, more: number): Promise<void> {
  const base = await heap();
  const store = new LogStore();
  await fill(store, 0, LOG_CAPACITY);
  const full = (await heap()) - base;
  await fill(store, LOG_CAPACITY, LOG_CAPACITY + more);
  const after = (await heap()) - base;
  // Two bytes a character at most (a line cut with "…" is stored as UTF-16).
  const chars = store.query({ limit: LOG_CAPACITY }).reduce((n, l) => n + 2 * l.text.length, 0);
  console.log(
    `  ${label.padEnd(23)} ${mb(full)} at ${count(LOG_CAPACITY)} lines, ${mb(after)} at ${count(LOG_CAPACITY + more)} (x${(after / full).toFixed(2)}); text ${mb(chars)}`,
  );
}

/** 100,000 requests recorded, with the stack's 40 route labels or each with its own; the heap held. */
async function requestCounts(ownLabels: boolean): Promise<number> {
  const base = await heap();
  const telemetry = new Telemetry();
  for (let i = 0; i < 100_000; i++) {
    const r = syntheticRequest(i);
    telemetry.record(ownLabels ? { ...r, route: r.path, service: `s${i}` } : r);
  }
  const held = (await heap()) - base;
  console.log(`  ${ownLabels ? "a label each  " : "40 stack routes"} ${String(telemetry.requests.size).padStart(5)} route entries ${mb(held)} held`);
  return held;
}

/** The console's stores together: 10,000 log lines, then requests with their spans; the last figure. */
async function consoleStores(): Promise<number> {
  const base = await heap();
  const logs = new LogStore();
  await pipeLines(logs, 0, LOG_CAPACITY, 120);
  const telemetry = new Telemetry();
  let traffic: ReturnType<typeof readRequests>[] = [];
  let recorded = 0;
  let first = 0;
  let held = 0;
  for (const target of [10_000, 100_000, 200_000]) {
    recordRequests(telemetry, recorded, target);
    receiveSpans(telemetry, recorded, target);
    recorded = target;
    // What the Requests page keeps: the counts read at each of the last TRAFFIC_SAMPLES samples.
    traffic = Array.from({ length: TRAFFIC_SAMPLES }, () => readRequests(telemetry));
    held = (await heap()) - base;
    first ||= held;
    const columns = [telemetry.ring.length, telemetry.requests.size, telemetry.spans.length, telemetry.spans.traces, traffic.length, logs.size];
    const widths = [5, 14, 11, 7, 10, 6];
    console.log(
      `  ${count(target)}  ${mb(held)}  x${(held / first).toFixed(2).padEnd(6)} |${columns.map((c, k) => String(c).padStart(widths[k] ?? 6)).join(" ")}`,
    );
  }
  return held;
}

console.log("\nlog view: lines through a replica's LogSink, packed in 64 kB pipe chunks or two to a chunk");
const packed =
  (width: number): Fill =>
  (store, from, to) =>
    pipeLines(store, from, to, width);
await logView("120-char lines", packed(120), 100_000);
await logView("5,000-char lines", packed(5_000), 100_000);
await logView("30,000 + short, a chunk", pipeWide, 20_000);

console.log("\nper-route counts, 100,000 requests: the stack's labels, or one each (the gateway never does that)");
const declared = await requestCounts(false);
const hostile = await requestCounts(true);
console.log(`  a label each holds x${(hostile / declared).toFixed(2)} of the stack's routes, at ${MAX_ROUTE_ENTRIES} + 1 entries`);

console.log("\nconsole stores: 10,000 log lines, then requests (each with its service's span over OTLP/JSON)");
console.log("  requests   heap held  x of 10k | ring  route entries  spans held  traces  snapshots  lines");
const total = await consoleStores();

/** One OTLP/JSON request of 100 histogram points, series `from` to `from + 99`; at every limit when `full`. */
function metricsBody(from: number, full: boolean): string {
  const bounds = Array.from({ length: full ? 255 : 15 }, (_, i) => i * 10);
  const points = Array.from({ length: 100 }, (_, k) => {
    const i = from + k;
    const attributes = full
      ? Array.from({ length: MAX_ATTRIBUTES }, (_, j) => ({
          key: `k${j}`.padEnd(MAX_VALUE_CHARS, "k"),
          value: { stringValue: `${i}`.padEnd(MAX_VALUE_CHARS, "v") },
        }))
      : [
          { key: "http.route", value: { stringValue: `/orders/${i}` } },
          { key: "http.method", value: { stringValue: "GET" } },
          { key: "status", value: { stringValue: "200" } },
        ];
    return {
      attributes,
      timeUnixNano: String(1_796_612_400_000_000_000n + BigInt(i)),
      count: "9",
      sum: 42.5,
      explicitBounds: bounds,
      bucketCounts: [...bounds, 0].map(() => "1"),
    };
  });
  const metrics = [{ name: "http.server.duration", unit: "ms", histogram: { aggregationTemporality: 2, dataPoints: points } }];
  return JSON.stringify({
    resourceMetrics: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "api" } }] }, scopeMetrics: [{ metrics }] }],
  });
}

/** The heap a MetricStore holds after its 2,000 series, then after `more` points of new series. */
async function metricSeries(label: string, full: boolean, more: number): Promise<void> {
  const base = await heap();
  const store = new MetricStore();
  const send = (from: number, to: number) => {
    for (let i = from; i < to; i += 100) {
      const decoded = decodeJsonMetrics(metricsBody(i, full));
      if (typeof decoded === "string") throw new Error(decoded);
      store.add(decoded);
    }
  };
  send(0, DEFAULT_METRIC_SERIES);
  const kept = (await heap()) - base;
  send(DEFAULT_METRIC_SERIES, DEFAULT_METRIC_SERIES + more);
  const after = (await heap()) - base;
  const each = (kept / store.size / 1024).toFixed(1);
  const tail = `+${count(more)} points ${mb(after).trim()} x${(after / kept).toFixed(2)} | ${count(store.dropped.seriesLimit ?? 0)} dropped`;
  console.log(`  ${label.padEnd(10)} ${count(store.size)} series ${mb(kept)} ${each.padStart(5)} kB each | ${tail}`);
}

console.log("\nOTLP metric series: the latest point of each, received as OTLP/JSON");
await metricSeries("typical", false, 98_000);
await metricSeries("at limits", true, 8_000);

console.log("\nbounds");
console.log(`  log view        ${LOG_CAPACITY} lines of at most ${LINE_CHARS} characters (4 kB), each a copy, not a view`);
console.log(`  last requests   ${DEFAULT_RING_SIZE} (path up to the 16 kB head limit)`);
console.log(`  route entries   ${MAX_ROUTE_ENTRIES} (route, service) pairs + "(other)", 0.6 kB each; ${TRAFFIC_SAMPLES} snapshots of them`);
console.log(`  spans           ${DEFAULT_SPAN_CAPACITY}, ${MAX_ATTRIBUTES} attributes of ${MAX_VALUE_CHARS} characters at most (cut values copied)`);
console.log(`  metric series   ${DEFAULT_METRIC_SERIES}, the latest point each; ${MAX_ATTRIBUTES} attributes, 256 buckets at most`);
console.log(`  measured        ${mb(total).trim()} held by the console's stores after 200,000 requests and spans`);
