/**
 * The adapter from the gateway's telemetry to the alarms' request windows. It names the shape it needs
 * (that of a telemetry `TrafficSummary` per service) instead of importing it, so this folder depends on
 * no part of the gateway. Wiring, where the runner has a `Telemetry` (src/runtime/telemetry):
 *
 * ```ts
 * const minute = new TrafficWindow<RequestSnapshot>(60_000);
 * requests: () => {
 *   const now = readRequests(telemetry);
 *   return windowsFromTraffic(summarize(now, minute.push(now)).services);
 * }
 * ```
 */
import type { RequestWindow, RequestWindows } from "./samples.js";

/** What the alarms need of one service's traffic over a window. */
export interface ServiceTraffic {
  readonly service: string;
  readonly requests: number;
  readonly classes: { readonly "5xx": number };
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

const max = (values: readonly (number | null)[]): number | null =>
  values.reduce<number | null>((a, b) => (b === null ? a : a === null ? b : Math.max(a, b)), null);

/**
 * Request windows by service, and for the whole edge (null): counts summed, and each percentile the
 * highest of the services' (an upper bound of the edge's own, which would need the merged histograms).
 */
export function windowsFromTraffic(services: readonly ServiceTraffic[]): RequestWindows {
  const by = new Map<string, RequestWindow>(
    services.map((s) => [s.service, { requests: s.requests, errors: s.classes["5xx"], p50Ms: s.p50, p95Ms: s.p95, p99Ms: s.p99 }]),
  );
  const all = [...by.values()];
  const edge: RequestWindow = {
    requests: all.reduce((n, w) => n + w.requests, 0),
    errors: all.reduce((n, w) => n + w.errors, 0),
    p50Ms: max(all.map((w) => w.p50Ms)),
    p95Ms: max(all.map((w) => w.p95Ms)),
    p99Ms: max(all.map((w) => w.p99Ms)),
  };
  // A service with no request yet has had none in the window: zero requests, no latency.
  return (subject) => (subject === null ? edge : (by.get(subject) ?? { requests: 0, errors: 0, p50Ms: null, p95Ms: null, p99Ms: null }));
}

/** Keeps timed snapshots and gives, at each push, the oldest one still within `spanMs` (a trailing window). */
export class TrafficWindow<S extends { readonly at: number }> {
  private kept: S[] = [];

  constructor(private readonly spanMs: number) {}

  /** Adds `now` and returns the snapshot the window starts from (null for the first). */
  push(now: S): S | null {
    this.kept = this.kept.filter((s) => s.at >= now.at - this.spanMs);
    const from = this.kept[0] ?? null;
    this.kept.push(now);
    return from;
  }
}
