/**
 * The Metrics page's API: the latest point of each series processes send over OTLP (`/v1/metrics`),
 * by service, with histograms read as count, sum, p50 and p95, the stack's secret values taken out
 * of every text (and of a value whose digits are one), and what was dropped, with the reason.
 */
import type { Redact } from "../runtime/env/redact.js";
import { bucketQuantile, DROP_REASONS, type DropReason, type MetricPoint } from "../runtime/telemetry/metric-point.js";
import type { ConsoleSource } from "./console.js";
import { ConsoleError } from "./http.js";

/** A number as sent, unless its digits are a secret: then the redacted text. */
function redactNumber(n: number | null, redact: Redact): number | string | null {
  if (n === null) return null;
  const text = String(n);
  const clean = redact(text);
  return clean === text ? n : clean;
}

function seriesView(p: MetricPoint, redact: Redact) {
  const h = p.histogram;
  return {
    service: redact(p.service),
    name: redact(p.name),
    unit: redact(p.unit),
    kind: p.kind,
    temporality: p.temporality,
    monotonic: p.monotonic,
    attributes: Object.fromEntries(Object.entries(p.attributes).map(([k, v]) => [redact(k), redact(v)])),
    time: p.time,
    value: redactNumber(p.value, redact),
    histogram:
      h === null
        ? null
        : {
            count: redactNumber(h.count, redact),
            sum: redactNumber(h.sum, redact),
            p50: bucketQuantile(h, 0.5),
            p95: bucketQuantile(h, 0.95),
          },
  };
}

/** Every series kept, by service then name, with the store's bound and its drops. */
export function metricsView(source: ConsoleSource) {
  const { telemetry } = source;
  if (!telemetry) throw new ConsoleError(404, "this run keeps no telemetry");
  const { redact } = source.runner.redactor;
  const store = telemetry.metrics;
  const series = store.list().map((p) => seriesView(p, redact));
  return {
    capacity: store.capacity,
    received: store.received,
    dropped: (Object.entries(store.dropped) as [DropReason, number][]).map(([reason, count]) => ({ reason: DROP_REASONS[reason], count })),
    services: [...new Set(series.map((s) => s.service))],
    series,
  };
}
