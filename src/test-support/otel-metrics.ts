/** Metrics sent through OpenTelemetry's own SDK and an OTLP metric exporter, for the receiver's and the console's tests. */
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from "@opentelemetry/sdk-metrics";

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
