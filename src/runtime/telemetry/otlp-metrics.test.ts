/**
 * The OTLP receiver's `/v1/metrics`: points sent by OpenTelemetry's own metric exporters (protobuf
 * and JSON) are kept as the latest point of each series; what is not decoded is counted with its
 * reason; bad bodies get 400 with the reason; no body, in either encoding, makes a decoder throw or
 * the server stop (fuzz).
 */
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as ProtoMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";

type ProtoOptions = NonNullable<ConstructorParameters<typeof ProtoMetricExporter>[0]>;

import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { jsonWithKeys } from "../../test-support/json-arbitrary.js";
import { EXPONENTIAL_VALUES, sendDeltaMetrics, sendExponentialMetrics, sendMetrics } from "../../test-support/otel-metrics.js";
import { request } from "../gateway/testing.js";
import { bucketQuantile, type DecodedMetrics, emptyPoint, exponentialBuckets, MAX_HISTOGRAM_BUCKETS, type MetricPoint } from "./metric-point.js";
import { MetricStore, nextPoint } from "./metric-store.js";
import { createMetricsRegistry, metricsText } from "./metrics.js";
import { decodeJsonMetrics } from "./otlp-metrics-json.js";
import { decodeProtoMetrics } from "./otlp-metrics-proto.js";
import { startOtlpServer } from "./otlp-server.js";
import { SpanStore } from "./span-store.js";
import { Telemetry } from "./telemetry.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function receiver() {
  const metrics = new MetricStore(100);
  const server = await startOtlpServer({ store: new SpanStore(10), metrics });
  cleanup.push(() => server.close());
  return { server, metrics };
}

const find = (points: readonly MetricPoint[], name: string, attributes: Record<string, string> = {}) =>
  points.find((p) => p.name === name && JSON.stringify(p.attributes) === JSON.stringify(attributes));

describe("OTLP metrics, with OpenTelemetry's own exporters", () => {
  for (const [encoding, make] of [
    ["protobuf (exporter-metrics-otlp-proto)", (url: string) => new ProtoMetricExporter({ url })],
    ["gzip-compressed protobuf", (url: string) => new ProtoMetricExporter({ url, compression: "gzip" as ProtoOptions["compression"] })],
    ["JSON (exporter-metrics-otlp-http)", (url: string) => new JsonMetricExporter({ url })],
    ["gzip-compressed JSON", (url: string) => new JsonMetricExporter({ url, compression: "gzip" as ProtoOptions["compression"] })],
  ] as const)
    it(`keeps sums, gauges and histograms sent as ${encoding}`, async () => {
      const { server, metrics } = await receiver();
      await sendMetrics(make(`${server.endpoint}/v1/metrics`), "shop");
      const points = metrics.list();
      expect(points).toHaveLength(5);
      expect(find(points, "orders.paid", { currency: "eur" })).toMatchObject({
        service: "shop",
        kind: "sum",
        unit: "{order}",
        value: 5,
        monotonic: true,
        temporality: "cumulative",
        histogram: null,
      });
      expect(find(points, "orders.paid", { currency: "usd" })?.value).toBe(7);
      expect(find(points, "queue.depth")).toMatchObject({ kind: "sum", value: -4, monotonic: false });
      expect(find(points, "pool.size")).toMatchObject({ kind: "gauge", value: 1.5, unit: "By" });
      const histogram = find(points, "checkout.duration", { route: "/pay" });
      expect(histogram).toMatchObject({ kind: "histogram", value: null, unit: "ms" });
      expect(histogram?.histogram).toEqual({ count: 6, sum: 5685, bounds: [10, 100, 1000], counts: [1, 3, 1, 1] });
      expect(histogram?.time).toBeGreaterThan(Date.UTC(2020, 0, 1));
      expect(metrics.dropped).toEqual({});
      // forceFlush and shutdown each export the five series: the second replaces the first.
      expect(metrics.received).toBe(10);
      expect(metrics.size).toBe(5);
    });
});

describe("OTLP metrics: exponential histograms", () => {
  for (const [encoding, make] of [
    ["protobuf", (url: string) => new ProtoMetricExporter({ url })],
    ["JSON", (url: string) => new JsonMetricExporter({ url })],
  ] as const)
    it(`reads an SDK's exponential histogram sent as ${encoding} as the buckets it stands for`, async () => {
      const { server, metrics } = await receiver();
      await sendExponentialMetrics(make(`${server.endpoint}/v1/metrics`), "uploads");
      expect(metrics.dropped).toEqual({});
      const point = find(metrics.list(), "upload.size");
      const h = point?.histogram;
      expect(point).toMatchObject({ kind: "histogram", unit: "By", temporality: "cumulative" });
      if (!h) throw new Error("no histogram");
      expect([h.count, h.sum, h.counts.reduce((a, b) => a + b, 0)]).toEqual([7, 5685, 7]);
      // Each value lies in the bucket that holds it: the zero bucket, then one bucket per value.
      for (const value of EXPONENTIAL_VALUES) {
        const bucket = h.bounds.findIndex((bound) => value <= bound);
        expect(h.counts[bucket], `bucket of ${value}`).toBeGreaterThan(0);
      }
      // The median is 60 and the p95 5000, each read within its bucket (a few percent wide).
      expect(bucketQuantile(h, 0.5)).toBeGreaterThan(55);
      expect(bucketQuantile(h, 0.5)).toBeLessThan(65);
      expect(bucketQuantile(h, 0.95)).toBeGreaterThan(4500);
      expect(bucketQuantile(h, 0.95)).toBeLessThanOrEqual(5300);
    });

  const exponential = (patch: Partial<ReturnType<typeof emptyPoint>>) => ({ ...emptyPoint(), ...patch });

  it("puts negative, zero and positive buckets in ascending order, with an empty bucket from 0 to the first positive one", () => {
    // Base 2: positive bucket i holds (2^i, 2^(i+1)], negative bucket i holds [-2^(i+1), -2^i).
    const h = exponentialBuckets(
      exponential({ count: 5, sum: 9, scale: 0, zeroCount: 1, positive: { offset: 1, counts: [1, 2] }, negative: { offset: 0, counts: [1] } }),
    );
    expect(h).toEqual({ count: 5, sum: 9, bounds: [-1, 0, 2, 4, 8], counts: [1, 1, 0, 1, 2, 0] });
    // Scale 1: base sqrt(2); scale -1: base 4.
    const fine = exponentialBuckets(exponential({ scale: 1, positive: { offset: 2, counts: [3] } }));
    if (typeof fine === "string") throw new Error(fine);
    expect(fine.counts).toEqual([0, 0, 3, 0]);
    expect(fine.bounds[0]).toBe(0);
    expect(fine.bounds[1]).toBeCloseTo(2, 12);
    expect(fine.bounds[2]).toBeCloseTo(2 * Math.SQRT2, 12);
    expect(exponentialBuckets(exponential({ scale: -1, positive: { offset: 0, counts: [3] } }))).toMatchObject({ bounds: [0, 1, 4], counts: [0, 0, 3, 0] });
  });

  it("drops a point with a scale out of range, offsets that are not whole or past a double's range, or too many buckets, by reason", () => {
    expect(exponentialBuckets(exponential({ scale: 21 }))).toBe("badScale");
    expect(exponentialBuckets(exponential({ scale: -11 }))).toBe("badScale");
    expect(exponentialBuckets(exponential({ scale: 0.5 }))).toBe("badScale");
    expect(exponentialBuckets(exponential({ positive: { offset: 1.5, counts: [1] } }))).toBe("badScale");
    expect(exponentialBuckets(exponential({ positive: { offset: 1024, counts: [1] } }))).toBe("badScale");
    // At scale 20, offsets down to about -1022 × 2^20 stay within a double; -2^31 underflows to 0.
    expect(exponentialBuckets(exponential({ scale: 20, positive: { offset: -1000 * 2 ** 20, counts: [1, 1] } }))).toMatchObject({ counts: [0, 0, 1, 1, 0] });
    expect(exponentialBuckets(exponential({ scale: 20, positive: { offset: -(2 ** 31), counts: [1, 1] } }))).toBe("badScale");
    expect(exponentialBuckets(exponential({ scale: 0, positive: { offset: -1100, counts: [1] } }))).toBe("badScale");
    expect(exponentialBuckets(exponential({ positive: { offset: 0, counts: new Array(MAX_HISTOGRAM_BUCKETS - 2).fill(1) } }))).toBe("badBuckets");
    expect(exponentialBuckets(exponential({ positive: { offset: 0, counts: new Array(MAX_HISTOGRAM_BUCKETS - 3).fill(1) } }))).not.toBeTypeOf("string");
    const decoded = decodeJsonMetrics(
      body([
        { name: "far", exponentialHistogram: { dataPoints: [{ scale: 30 }, { scale: 0, positive: { offset: 5000, bucketCounts: ["1"] } }] } },
        { name: "wide", exponentialHistogram: { dataPoints: [{ positive: { bucketCounts: new Array(300).fill(1) } }] } },
      ]),
    );
    expect(decoded).toMatchObject({ points: [], dropped: { badScale: 2, badBuckets: 1 } });
    expect(decodeJsonMetrics(body([{ name: "x", exponentialHistogram: { dataPoints: [{ positive: "none" }] } }]))).toBe(
      "positive and negative are { offset, bucketCounts } objects",
    );
  });

  it("gives, for any scale, offsets and counts, a reason or ascending finite bounds holding every count (fuzz)", () => {
    const buckets = fc.record({ offset: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), counts: fc.array(fc.nat(1000), { maxLength: 140 }) });
    fc.assert(
      fc.property(fc.integer({ min: -12, max: 22 }), fc.nat(1000), buckets, buckets, (scale, zeroCount, positive, negative) => {
        const h = exponentialBuckets(exponential({ scale, zeroCount, positive, negative }));
        // Within range (exponents of 2 under 1000 in size, at most 256 buckets) there must be buckets.
        const inRange = (b: { offset: number; counts: number[] }) => (Math.abs(b.offset) + b.counts.length) * 2 ** -scale < 1000;
        const fits = positive.counts.length + negative.counts.length + 3 <= MAX_HISTOGRAM_BUCKETS;
        if (typeof h === "string") return !(scale >= -10 && scale <= 20 && fits && inRange(positive) && inRange(negative));
        const total = (list: readonly number[]) => list.reduce((a, b) => a + b, 0);
        return (
          h.counts.length === h.bounds.length + 1 &&
          h.counts.length <= MAX_HISTOGRAM_BUCKETS &&
          h.bounds.every((b, i) => Number.isFinite(b) && (i === 0 || b > (h.bounds[i - 1] ?? 0))) &&
          total(h.counts) === zeroCount + total(positive.counts) + total(negative.counts)
        );
      }),
    );
  });
});

describe("OTLP metrics: delta temporality", () => {
  for (const [encoding, make] of [
    ["protobuf", (url: string) => new ProtoMetricExporter({ url, temporalityPreference: AggregationTemporalityPreference.DELTA })],
    ["JSON", (url: string) => new JsonMetricExporter({ url, temporalityPreference: AggregationTemporalityPreference.DELTA })],
  ] as const)
    it(`adds each interval of a delta counter and histogram sent as ${encoding}, so the series shows the total`, async () => {
      const { server, metrics } = await receiver();
      await sendDeltaMetrics(make(`${server.endpoint}/v1/metrics`), "shop");
      const points = metrics.list();
      // Sent as 3 then 4 (two exports of one interval each): the total, not the last interval.
      expect(find(points, "orders.paid")).toMatchObject({ kind: "sum", temporality: "delta", monotonic: true, value: 7 });
      expect(find(points, "checkout.duration")?.histogram).toEqual({ count: 3, sum: 555, bounds: [10, 100, 1000], counts: [1, 1, 1, 0] });
      expect(find(points, "pool.size")).toMatchObject({ kind: "gauge", value: 2.5 });
    });

  const point = (patch: Partial<MetricPoint>): MetricPoint => ({
    service: "api",
    name: "n",
    unit: "",
    kind: "sum",
    temporality: "delta",
    monotonic: true,
    attributes: {},
    time: 1,
    value: 1,
    histogram: null,
    ...patch,
  });

  it("keeps the sum of any delta points of a series, in any order, at the latest time (fuzz)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ value: fc.integer({ min: -1e6, max: 1e6 }), time: fc.integer({ min: 1, max: 1e6 }) }), { minLength: 1, maxLength: 40 }),
        (sent) => {
          const store = new MetricStore(5);
          store.add({ points: sent.map((p) => point(p)), dropped: {} });
          const [kept] = store.list();
          return store.size === 1 && kept?.value === sent.reduce((a, p) => a + p.value, 0) && kept.time === Math.max(...sent.map((p) => p.time));
        },
      ),
    );
  });

  it("replaces rather than adds: a cumulative point, a point of another kind, and a histogram whose buckets changed", () => {
    const h = (bounds: number[], counts: number[]) => ({ count: counts.reduce((a, b) => a + b, 0), sum: 10, bounds, counts });
    expect(nextPoint(point({ value: 5 }), point({ value: 2, temporality: "cumulative", time: 2 }))?.value).toBe(2);
    expect(nextPoint(point({ value: 5, temporality: "cumulative", time: 3 }), point({ value: 2, temporality: "cumulative", time: 2 }))).toBeNull();
    expect(nextPoint(point({ value: 5 }), point({ kind: "gauge", value: 2, time: 2 }))?.value).toBe(2);
    const before = point({ kind: "histogram", value: null, histogram: h([1, 2], [1, 1, 1]) });
    expect(nextPoint(before, point({ kind: "histogram", value: null, time: 2, histogram: h([1, 2], [0, 2, 0]) }))?.histogram).toEqual({
      count: 5,
      sum: 20,
      bounds: [1, 2],
      counts: [1, 3, 1],
    });
    expect(nextPoint(before, point({ kind: "histogram", value: null, time: 2, histogram: h([5], [4, 0]) }))?.histogram).toEqual(h([5], [4, 0]));
    expect(nextPoint(before, point({ kind: "histogram", value: null, time: 2, histogram: { ...h([1, 2], [1, 0, 0]), sum: null } }))?.histogram?.sum).toBeNull();
  });
});

const resource = (service: string) => ({ attributes: [{ key: "service.name", value: { stringValue: service } }] });
const body = (metrics: unknown[], service = "api") => JSON.stringify({ resourceMetrics: [{ resource: resource(service), scopeMetrics: [{ metrics }] }] });

describe("OTLP metrics: decoding", () => {
  it("reads the JSON mapping's spellings: int64 as strings, enum names, NaN as a string", () => {
    const decoded = decodeJsonMetrics(
      body([
        {
          name: "hits",
          sum: {
            aggregationTemporality: "AGGREGATION_TEMPORALITY_DELTA",
            isMonotonic: true,
            dataPoints: [{ asInt: "9007199254740993", timeUnixNano: "1796612400000000000" }],
          },
        },
        { name: "ratio", gauge: { dataPoints: [{ asDouble: "NaN", attributes: [{ key: "k", value: { intValue: "3" } }] }] } },
        { name: "size", histogram: { aggregationTemporality: 2, dataPoints: [{ count: "4", bucketCounts: ["1", 3], explicitBounds: [2.5] }] } },
      ]),
    ) as DecodedMetrics;
    expect(decoded.points).toHaveLength(3);
    const [hits, ratio, size] = decoded.points;
    expect(hits).toMatchObject({ kind: "sum", temporality: "delta", monotonic: true, value: 9007199254740992, time: 1796612400000 });
    expect(ratio?.value).toBeNaN();
    expect(ratio?.attributes).toEqual({ k: "3" });
    expect(size).toMatchObject({ temporality: "cumulative", histogram: { count: 4, sum: null, bounds: [2.5], counts: [1, 3] } });
  });

  it("counts summaries, points without a value and bad buckets as dropped, by reason", () => {
    const decoded = decodeJsonMetrics(
      body([
        { name: "e", exponentialHistogram: { dataPoints: [{}, {}] } },
        { name: "s", summary: { dataPoints: [{}] } },
        { name: "g", gauge: { dataPoints: [{}, { asDouble: 1 }] } },
        { name: "h", histogram: { dataPoints: [{ count: 1, bucketCounts: [1], explicitBounds: [1] }] } },
        { name: "none" },
      ]),
    ) as DecodedMetrics;
    // An empty exponential point is a histogram of nothing (scale 0, no buckets): kept.
    expect(decoded.points.map((p) => p.name)).toEqual(["e", "e", "g"]);
    expect(decoded.points[0]?.histogram).toEqual({ count: 0, sum: null, bounds: [0], counts: [0, 0] });
    expect(decoded.dropped).toEqual({ summary: 1, noValue: 1, badBuckets: 1, noData: 1 });
  });

  it("reads protobuf's unpacked repeated fields and the last of a oneof, and skips unknown fields", () => {
    // Metric { name "m"; gauge { point { as_double 1 } }; histogram { point { count 2; bucket_counts 2 (unpacked); } } }
    const f64 = (n: number) => {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(n);
      return [...b];
    };
    const u64 = (n: number) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(BigInt(n));
      return [...b];
    };
    const ld = (tag: number, bytes: number[]) => [(tag << 3) | 2, bytes.length, ...bytes];
    const gauge = ld(5, ld(1, [0x21, ...f64(1)]));
    const histogramPoint = [0x21, ...u64(2), 0x31, ...u64(2), 0x78, 0x01];
    const metric = [...ld(1, [0x6d]), ...gauge, ...ld(9, ld(1, histogramPoint))];
    const request = Buffer.from(ld(1, ld(2, ld(2, metric))));
    const decoded = decodeProtoMetrics(request) as DecodedMetrics;
    expect(decoded.points).toEqual([expect.objectContaining({ name: "m", kind: "histogram", histogram: { count: 2, sum: null, bounds: [], counts: [2] } })]);
    expect(decodeProtoMetrics(Buffer.from(ld(1, ld(2, ld(2, [...ld(1, [0x6d]), ...ld(9, ld(1, ld(7, [1, 2, 3])))])))))).toMatch(/8-byte/);
  });

  it("reads p50 and p95 from explicit buckets, as Prometheus does", () => {
    const h = { count: 6, sum: 0, bounds: [10, 100, 1000], counts: [1, 3, 1, 1] };
    expect(bucketQuantile(h, 0.5)).toBe(70);
    expect(bucketQuantile(h, 0.95)).toBe(1000);
    expect(bucketQuantile({ ...h, counts: [4, 0, 0, 0] }, 0.5)).toBe(5);
    expect(bucketQuantile({ ...h, counts: [] }, 0.5)).toBeNull();
  });
});

describe("OTLP metrics on /metrics", () => {
  it("counts the points received and dropped (by reason), without re-exporting the series", async () => {
    const telemetry = new Telemetry({ metricSeries: 1 });
    const decoded = decodeJsonMetrics(
      body([
        { name: "a", gauge: { dataPoints: [{ asDouble: 1 }] } },
        { name: "b", gauge: { dataPoints: [{ asDouble: 2 }] } },
        { name: "s", summary: { dataPoints: [{}, {}, {}] } },
      ]),
    ) as DecodedMetrics;
    telemetry.metrics.add(decoded);
    const text = await metricsText(createMetricsRegistry({ telemetry }));
    expect(text).toContain("cairn_otlp_metric_points_received_total 5\n");
    expect(text).toContain('cairn_otlp_metric_points_dropped_total{reason="summary"} 3\n');
    expect(text).toContain('cairn_otlp_metric_points_dropped_total{reason="seriesLimit"} 1\n');
    expect(text).not.toMatch(/^a[ {]/m);
  });
});

describe("OTLP metrics: bad requests", () => {
  it("answers 400 to bodies that are not metric requests, with the reason, and keeps nothing", async () => {
    const { server, metrics } = await receiver();
    const json = { "content-type": "application/json" };
    const proto = { "content-type": "application/x-protobuf" };
    for (const [headers, payload, reason] of [
      [json, "{not json", /not JSON/],
      [json, "[]", /not an ExportMetricsServiceRequest/],
      [json, '{"resourceMetrics": 3}', /resourceMetrics is not a list/],
      [json, '{"resourceMetrics": [{"scopeMetrics": [{"metrics": [7]}]}]}', /a metric is not an object/],
      [json, '{"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"gauge": {"dataPoints": 1}}]}]}]}', /dataPoints is not a list/],
      [json, '{"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"histogram": {"dataPoints": [{"bucketCounts": 1}]}}]}]}]}', /are lists/],
      [proto, Buffer.from([0x0a, 0x20, 0x01]), /runs past|index out of range/],
      [{ ...proto, "content-encoding": "gzip" }, Buffer.from("not gzip"), /gzip/],
    ] as const) {
      const reply = await request(server.port, "/v1/metrics", { method: "POST", headers, body: payload });
      expect(reply.status, String(payload)).toBe(400);
      expect(JSON.parse(reply.body).message).toMatch(reason);
    }
    expect(metrics.size).toBe(0);
    // The same limits as traces and logs: 16 MiB once decompressed, 4 MiB received.
    const bomb = await request(server.port, "/v1/metrics", {
      method: "POST",
      headers: { ...json, "content-encoding": "gzip" },
      body: gzipSync(Buffer.alloc(40 * 1024 * 1024, 32)),
    });
    expect(bomb.status).toBe(400);
    expect(JSON.parse(bomb.body).message).toMatch(/over 16777216 bytes once decompressed/);
    const big = await request(server.port, "/v1/metrics", { method: "POST", headers: json, body: Buffer.alloc(5 * 1024 * 1024, 32) });
    expect(big.status).toBe(413);
    expect((await request(server.port, "/v1/metrics")).status).toBe(405);
    const other = await request(server.port, "/v1/profiles", { method: "POST", headers: json, body: "{}" });
    expect(other.status).toBe(404);
    expect(JSON.parse(other.body).message).toBe("OTLP is received here with POST at /v1/traces, /v1/metrics");
  });

  it("never throws on any body, in either encoding (fuzz)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const proto = decodeProtoMetrics(bytes);
        expect(typeof proto === "string" || Array.isArray(proto.points)).toBe(true);
        const json = decodeJsonMetrics(Buffer.from(bytes).toString("utf8"));
        expect(typeof json === "string" || Array.isArray(json.points)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    const anyJson = jsonWithKeys([
      "resourceMetrics",
      "scopeMetrics",
      "metrics",
      "resource",
      "attributes",
      "key",
      "value",
      "stringValue",
      "name",
      "unit",
      "gauge",
      "sum",
      "histogram",
      "exponentialHistogram",
      "summary",
      "dataPoints",
      "aggregationTemporality",
      "isMonotonic",
      "asDouble",
      "asInt",
      "timeUnixNano",
      "count",
      "bucketCounts",
      "explicitBounds",
    ]);
    const store = new MetricStore(50);
    fc.assert(
      fc.property(anyJson, (doc) => {
        const out = decodeJsonMetrics(JSON.stringify(doc));
        if (typeof out === "string") return;
        // Every point decoded is one the store keeps and the console can show.
        store.add(out);
        for (const point of out.points) {
          expect(["gauge", "sum", "histogram"]).toContain(point.kind);
          expect(point.kind === "histogram" ? point.histogram !== null : point.value !== null).toBe(true);
          if (point.histogram && point.histogram.counts.length > 0) expect(point.histogram.counts.length).toBe(point.histogram.bounds.length + 1);
        }
      }),
      { numRuns: 1000 },
    );
    expect(store.size).toBeLessThanOrEqual(50);
  });

  it("answers every fuzzed request with 200 or 400 and keeps serving (fuzz through the server)", async () => {
    const { server, metrics } = await receiver();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.boolean(), async (bytes, asJson) => {
        const reply = await request(server.port, "/v1/metrics", {
          method: "POST",
          headers: { "content-type": asJson ? "application/json" : "application/x-protobuf" },
          body: Buffer.from(bytes),
        });
        expect([200, 400]).toContain(reply.status);
      }),
      { numRuns: 150 },
    );
    const ok = await request(server.port, "/v1/metrics", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body([{ name: "still.here", gauge: { dataPoints: [{ asDouble: 2 }] } }]),
    });
    expect(ok.status).toBe(200);
    expect(metrics.list().find((p) => p.name === "still.here")?.value).toBe(2);
  });
});
