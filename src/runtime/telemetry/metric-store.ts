/**
 * The metrics processes send over OTLP, as the console shows them: the latest point of each series
 * (service, metric name, attribute set), at most `capacity` series. A point of a series already kept
 * replaces it (unless it is older); a new series past the limit is dropped and counted, so a process
 * minting attribute values without end cannot grow the store. Memory: a series holds at most 32
 * attributes of 256 characters and 256 buckets, about 1 kB typical, 20 kB at worst; 2,000 series are
 * about 2 MB typical, 40 MB at worst.
 */
import { countDropped, type DecodedMetrics, type DropReason, type MetricPoint } from "./metric-point.js";

/** Series kept by default. */
export const DEFAULT_METRIC_SERIES = 2_000;

function keyOf(point: MetricPoint): string {
  const attributes = Object.entries(point.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([point.service, point.name, attributes]);
}

export class MetricStore {
  private readonly series = new Map<string, MetricPoint>();
  /** Points dropped since the start, by reason (decoding, and the series limit). */
  readonly dropped: Partial<Record<DropReason, number>> = {};
  /** Points received since the start, kept or not. */
  received = 0;

  constructor(readonly capacity = DEFAULT_METRIC_SERIES) {}

  /** Series kept. */
  get size(): number {
    return this.series.size;
  }

  /** Keeps a decoded request's points and counts what it dropped. */
  add(decoded: DecodedMetrics): void {
    for (const [reason, n] of Object.entries(decoded.dropped) as [DropReason, number][]) {
      countDropped(this.dropped, reason, n);
      this.received += n;
    }
    for (const point of decoded.points) {
      this.received++;
      const key = keyOf(point);
      const kept = this.series.get(key);
      if (kept === undefined && this.series.size >= this.capacity) {
        countDropped(this.dropped, "seriesLimit", 1);
        continue;
      }
      if (kept?.time != null && point.time !== null && point.time < kept.time) continue;
      this.series.set(key, point);
    }
  }

  /** Every series kept, by service, then name, then attributes. */
  list(): MetricPoint[] {
    return [...this.series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, point]) => point);
  }
}
