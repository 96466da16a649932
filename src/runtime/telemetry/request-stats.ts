/**
 * Request counts by status class and duration histograms, per route and service, since the gateway
 * started. Each (route, service) pair has one fixed-size entry, found by a Map lookup on the route
 * label; recording is a few increments. Reading copies the entries (see `snapshot.ts` for what the
 * console and the alarms compute from two reads). Pure.
 *
 * Memory bound: one entry per (route, service) pair the stack declares, plus one for requests that
 * matched no route: 6 class counters and 62 buckets of 8 bytes each, about 0.6 kB an entry, whatever
 * the number of requests. Labels come from the plan, never from the request, so a client cannot add
 * entries; and whatever a caller passes, at most MAX_ROUTE_ENTRIES pairs get their own entry (any
 * further pair is counted under OTHER_LABEL): 1,001 entries, 0.6 MB, at the very most.
 */
import { DurationHistogram, type HistogramCounts } from "./histogram.js";

/** Status classes counted: index 0 for 1xx ... 4 for 5xx; anything else (0 when the client left first) is 5. */
export const STATUS_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export function classIndex(status: number): number {
  const c = (status / 100) | 0;
  return c >= 1 && c <= 5 ? c - 1 : 5;
}

/** The label of requests that matched no route (404s, unreadable heads). */
export const NO_ROUTE = "(none)";
/** The label of requests that matched no service. */
export const NO_SERVICE = "(none)";
/** Route and service label of the pairs past the limit (see `RequestStats`). */
export const OTHER_LABEL = "(other)";
/** Distinct (route, service) pairs counted apart, at most: far more than any stack declares. */
export const MAX_ROUTE_ENTRIES = 1_000;

class Entry {
  readonly classes = new Float64Array(STATUS_CLASSES.length);
  readonly durations = new DurationHistogram();
  constructor(
    readonly route: string,
    readonly service: string,
  ) {}
}

/** One (route, service) pair's counts, as read. */
export interface RouteCounts {
  readonly route: string;
  readonly service: string;
  /** Requests by status class, in `STATUS_CLASSES` order. */
  readonly classes: readonly number[];
  readonly durations: HistogramCounts;
}

export class RequestStats {
  /** By route label, then by service (a route names one service, so the inner map has one entry). */
  private readonly entries = new Map<string, Map<string, Entry>>();
  private count = 0;

  /** `limit`: distinct (route, service) pairs counted apart; any further pair is counted under OTHER_LABEL. */
  constructor(readonly limit = MAX_ROUTE_ENTRIES) {}

  record(route: string | null, service: string | null, status: number, durationMs: number): void {
    const r = route ?? NO_ROUTE;
    const s = service ?? NO_SERVICE;
    const entry = this.entries.get(r)?.get(s) ?? this.add(r, s);
    const c = classIndex(status);
    entry.classes[c] = (entry.classes[c] ?? 0) + 1;
    entry.durations.record(durationMs);
  }

  /** The entry of a pair not seen yet: its own, or past `limit` pairs the one shared (OTHER_LABEL, OTHER_LABEL). */
  private add(route: string, service: string): Entry {
    const full = this.count >= this.limit;
    const r = full ? OTHER_LABEL : route;
    const s = full ? OTHER_LABEL : service;
    let byService = this.entries.get(r);
    if (byService === undefined) {
      byService = new Map();
      this.entries.set(r, byService);
    }
    let entry = byService.get(s);
    if (entry === undefined) {
      entry = new Entry(r, s);
      byService.set(s, entry);
      this.count++;
    }
    return entry;
  }

  /** Entries held: one per (route, service) pair seen, at most `limit` + 1. */
  get size(): number {
    let n = 0;
    for (const m of this.entries.values()) n += m.size;
    return n;
  }

  /** A copy of every entry. */
  read(): RouteCounts[] {
    const out: RouteCounts[] = [];
    for (const byService of this.entries.values())
      for (const e of byService.values()) out.push({ route: e.route, service: e.service, classes: [...e.classes], durations: e.durations.copy() });
    return out;
  }
}
