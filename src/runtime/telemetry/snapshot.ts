/**
 * What the console and the alarms read: a snapshot of the request counts (cumulative since the
 * gateway started), and summaries computed from two snapshots, the way Prometheus computes rates:
 * requests per second, status classes, error rate and p50/p95/p99 over the time between them
 * (since the start when there is no older snapshot). Pure.
 */
import { DurationHistogram, type HistogramCounts, histogramDelta, quantile } from "./histogram.js";
import { type RouteCounts, STATUS_CLASSES, type StatusClass } from "./request-stats.js";
import type { Telemetry } from "./telemetry.js";

/** The counts at one moment. */
export interface RequestSnapshot {
  /** Epoch milliseconds of the read. */
  readonly at: number;
  /** Epoch milliseconds counting started. */
  readonly since: number;
  readonly routes: readonly RouteCounts[];
}

/** Traffic of one route or one service over a window. */
export interface TrafficSummary {
  /** The route label; for a service summary, null (all its routes and its own address together). */
  readonly route: string | null;
  readonly service: string;
  readonly requests: number;
  readonly perSecond: number;
  readonly classes: Readonly<Record<StatusClass, number>>;
  /** 5xx answers over all answers, 0..1 (0 with no request). */
  readonly errorRate: number;
  /** Milliseconds; null with no request in the window. */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

export interface TrafficSummaries {
  /** Seconds between the two snapshots. */
  readonly seconds: number;
  readonly routes: readonly TrafficSummary[];
  readonly services: readonly TrafficSummary[];
}

/** Reads the counts now. */
export function readRequests(telemetry: Telemetry): RequestSnapshot {
  return { at: telemetry.now(), since: telemetry.since, routes: telemetry.requests.read() };
}

const key = (r: { route: string; service: string }) => `${r.service}\u0000${r.route}`;

function summary(route: string | null, service: string, classes: readonly number[], durations: HistogramCounts, seconds: number): TrafficSummary {
  const byClass = Object.fromEntries(STATUS_CLASSES.map((c, i) => [c, classes[i] ?? 0])) as Record<StatusClass, number>;
  const requests = classes.reduce((a, b) => a + b, 0);
  return {
    route,
    service,
    requests,
    perSecond: seconds > 0 ? requests / seconds : 0,
    classes: byClass,
    errorRate: requests > 0 ? byClass["5xx"] / requests : 0,
    p50: quantile(durations, 0.5),
    p95: quantile(durations, 0.95),
    p99: quantile(durations, 0.99),
  };
}

/** Summaries of the traffic between `older` (or the start) and `newer`, per route and per service. */
export function summarize(newer: RequestSnapshot, older: RequestSnapshot | null = null): TrafficSummaries {
  const from = older?.at ?? newer.since;
  const seconds = Math.max(0, (newer.at - from) / 1000);
  const before = new Map((older?.routes ?? []).map((r) => [key(r), r]));
  const routes: TrafficSummary[] = [];
  const services = new Map<string, { classes: number[]; durations: DurationHistogram }>();
  for (const r of newer.routes) {
    const old = before.get(key(r)) ?? null;
    const classes = r.classes.map((n, i) => Math.max(0, n - (old?.classes[i] ?? 0)));
    const durations = histogramDelta(r.durations, old?.durations ?? null);
    routes.push(summary(r.route, r.service, classes, durations, seconds));
    const total = services.get(r.service) ?? { classes: STATUS_CLASSES.map(() => 0), durations: new DurationHistogram() };
    for (let i = 0; i < classes.length; i++) total.classes[i] = (total.classes[i] ?? 0) + (classes[i] ?? 0);
    total.durations.add(durations);
    services.set(r.service, total);
  }
  return {
    seconds,
    routes,
    services: [...services].map(([service, t]) => summary(null, service, t.classes, t.durations, seconds)),
  };
}

/**
 * One service's traffic between two snapshots, for alarms (`error_rate`, `p95`) and the scaling
 * policy; null when the service had no route entry yet (no request ever).
 */
export function serviceTraffic(newer: RequestSnapshot, older: RequestSnapshot | null, service: string): TrafficSummary | null {
  return summarize(newer, older).services.find((s) => s.service === service) ?? null;
}
