/**
 * One run's telemetry: the gateway's request counts and last requests, its trace context, and the
 * spans and metrics processes send over OTLP. Created by `cairn up` (or a test), passed to the gateway, read by
 * the console, the alarms and `/metrics`.
 */

import { DEFAULT_METRIC_SERIES, MetricStore } from "./metric-store.js";
import { DEFAULT_RING_SIZE, type RequestEntry, RequestRing } from "./request-ring.js";
import { RequestStats } from "./request-stats.js";
import { DEFAULT_SPAN_CAPACITY, SpanStore } from "./span-store.js";
import { IdSource, parseTraceparent } from "./traceparent.js";

export interface TelemetryOptions {
  /** Requests kept for the console (default 2,000). */
  readonly lastRequests?: number;
  /** OTLP spans kept (default 10,000). */
  readonly spans?: number;
  /** OTLP metric series kept, the latest point of each (default 2,000). */
  readonly metricSeries?: number;
  /** Epoch milliseconds (default `Date.now`); the gateway passes its own clock. */
  readonly now?: () => number;
  /** New traces the gateway starts per second at most (default 100, see `Telemetry.trace`). */
  readonly newTracesPerSecond?: number;
}

/** New traces started per second at most: every request of a local run, a sample under a load test. */
export const NEW_TRACES_PER_SECOND = 100;

/** The trace context the gateway gives one request. */
export interface RequestTrace {
  readonly traceId: string;
  /** The gateway's span, the parent of the replica's. */
  readonly spanId: string;
  /** The client's span, when it sent a valid `traceparent`. */
  readonly parentSpanId: string | null;
  readonly flags: string;
}

export class Telemetry {
  readonly requests = new RequestStats();
  readonly ring: RequestRing;
  readonly spans: SpanStore;
  readonly metrics: MetricStore;
  readonly now: () => number;
  /** Epoch milliseconds when counting started (the base of rates since start). */
  readonly since: number;
  private readonly ids = new IdSource();
  /** New traces started per second at most (see `trace`). */
  readonly newTracesPerSecond: number;
  private window = Number.NEGATIVE_INFINITY;
  private left = 0;

  constructor(options: TelemetryOptions = {}) {
    this.ring = new RequestRing(options.lastRequests ?? DEFAULT_RING_SIZE);
    this.spans = new SpanStore(options.spans ?? DEFAULT_SPAN_CAPACITY);
    this.metrics = new MetricStore(options.metricSeries ?? DEFAULT_METRIC_SERIES);
    this.now = options.now ?? Date.now;
    this.since = this.now();
    this.newTracesPerSecond = options.newTracesPerSecond ?? NEW_TRACES_PER_SECOND;
  }

  /**
   * Continues the client's trace (valid `traceparent`: always), or starts one, with a new span id for
   * the gateway. New traces are rate-limited, as AWS X-Ray's reservoir does: the first
   * `newTracesPerSecond` of each second are traced, the rest of that second are not (null: counted, without
   * trace headers, and listed only when they fail, see `count`). A local run stays far below it, so
   * every request is traced; under a load test the ids, the header, the list and the services' spans
   * are spared.
   */
  trace(traceparent: string | undefined): RequestTrace | null {
    const incoming = parseTraceparent(traceparent);
    if (incoming !== null) return { traceId: incoming.traceId, spanId: this.ids.spanId(), parentSpanId: incoming.parentId, flags: incoming.flags };
    const now = this.now();
    if (now - this.window >= 1000) {
      this.window = now;
      this.left = this.newTracesPerSecond;
    }
    if (this.left <= 0) return null;
    this.left--;
    return { traceId: this.ids.traceId(), spanId: this.ids.spanId(), parentSpanId: null, flags: "01" };
  }

  /** Requests counted but not listed among the last requests (see `count`). */
  unlisted = 0;

  /**
   * Counts one finished request; true when it is also to be listed among the last requests (`list`):
   * when it was traced or failed (a 5xx, a client gone before the answer, or an answer of the
   * gateway's own with its reason). Past the new traces' limit, the other requests are counted only:
   * under a load test the hot path keeps to counters, and the list keeps the failures.
   */
  count(route: string | null, service: string | null, status: number, durationMs: number, traced: boolean, error: string | null): boolean {
    this.requests.record(route, service, status, durationMs);
    if (traced || error !== null || status >= 500 || status === 0) return true;
    this.unlisted++;
    return false;
  }

  /** Lists a counted request among the last requests. */
  list(entry: RequestEntry): void {
    this.ring.write(entry);
  }

  /** Counts one finished request, and lists it when `count` says so. */
  record(entry: RequestEntry): void {
    if (this.count(entry.route, entry.service, entry.status, entry.durationMs, entry.traceId !== null, entry.error)) this.list(entry);
  }
}
