/** Metrics sent through OpenTelemetry's own SDK and an OTLP metric exporter, for the receiver's and the console's tests. */
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AggregationType, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from "@opentelemetry/sdk-metrics";

/**
 * Records, as `service`: a counter `orders.paid` (eur 5, usd 7, unit {order}), an up-down counter
 * `queue.depth` (-4), a gauge `pool.size` (1.5 By) and a histogram `checkout.duration` (ms, bounds
 * 10/100/1000, six values: 5, 50, 60, 70, 500, 5000, route=/pay); then flushes and shuts down, each
 * of which exports the five series once (cumulative).
 */
export async function sendMetrics(exporter: PushMetricExporter, service: string): Promise<void> {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ "service.name": service }), readers: [reader] });
  const meter = provider.getMeter("cairn-test");
  const orders = meter.createCounter("orders.paid", { unit: "{order}" });
  orders.add(3, { currency: "eur" });
  orders.add(2, { currency: "eur" });
  orders.add(7, { currency: "usd" });
  meter.createUpDownCounter("queue.depth").add(-4);
  meter.createGauge("pool.size", { unit: "By" }).record(1.5);
  const latency = meter.createHistogram("checkout.duration", { unit: "ms", advice: { explicitBucketBoundaries: [10, 100, 1000] } });
  for (const ms of [5, 50, 60, 70, 500, 5000]) latency.record(ms, { route: "/pay" });
  await provider.forceFlush();
  await provider.shutdown();
}

/**
 * Records, as `service`, in two intervals each exported once (for a delta exporter): a counter
 * `orders.paid` 3 then 4, a histogram `checkout.duration` (bounds 10/100/1000) 5 then 50 and 500, and
 * a gauge `pool.size` 1.5 then 2.5.
 */
export async function sendDeltaMetrics(exporter: PushMetricExporter, service: string): Promise<void> {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ "service.name": service }), readers: [reader] });
  const meter = provider.getMeter("cairn-test");
  const orders = meter.createCounter("orders.paid");
  const latency = meter.createHistogram("checkout.duration", { unit: "ms", advice: { explicitBucketBoundaries: [10, 100, 1000] } });
  const pool = meter.createGauge("pool.size");
  orders.add(3);
  latency.record(5);
  pool.record(1.5);
  await provider.forceFlush();
  orders.add(4);
  latency.record(50);
  latency.record(500);
  pool.record(2.5);
  await provider.forceFlush();
  await provider.shutdown();
}

/** The values `sendExponentialMetrics` records: 7 values, sum 5685, median 60. */
export const EXPONENTIAL_VALUES = [0, 5, 50, 60, 70, 500, 5000];

/**
 * Records EXPONENTIAL_VALUES, as `service`, in a histogram `upload.size` (By) that a view makes an
 * exponential histogram (at most 160 buckets, the SDK's default), then exports once (cumulative).
 */
export async function sendExponentialMetrics(exporter: PushMetricExporter, service: string): Promise<void> {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    readers: [reader],
    views: [{ instrumentName: "upload.size", aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 160 } } }],
  });
  const sizes = provider.getMeter("cairn-test").createHistogram("upload.size", { unit: "By" });
  for (const size of EXPONENTIAL_VALUES) sizes.record(size);
  await provider.shutdown();
}
