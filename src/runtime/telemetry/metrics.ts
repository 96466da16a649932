/**
 * `/metrics` in Prometheus text format (prom-client), built from the telemetry at scrape time: the
 * gateway's requests by route, service and status class, its duration histograms (the buckets of
 * histogram.ts, in seconds), the spans and metric points received over OTLP (counts only: the
 * points themselves are on the console's Metrics page, not re-exported), and each replica's CPU,
 * memory and restarts. Nothing is observed per request through prom-client: the gateway's hot path
 * keeps its own counters (see request-stats.ts), and each scrape copies them into the registry.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { BUCKET_BOUNDS_MS } from "./histogram.js";
import { STATUS_CLASSES } from "./request-stats.js";
import type { Telemetry } from "./telemetry.js";

/** One replica's reading, as the supervisor's exporter gives it (src/runtime/supervisor/replica-metrics.ts). */
export interface ReplicaReading {
  readonly service: string;
  readonly replica: string;
  /** Percent of one core since the previous reading; null when the process is not running. */
  readonly cpuPercent: number | null;
  readonly memoryBytes: number | null;
  readonly restarts: number;
}

export interface MetricsSources {
  readonly telemetry: Telemetry;
  /** The replicas now; none when absent (a gateway without a supervisor). */
  readonly replicas?: () => readonly ReplicaReading[];
}

const BOUNDS_SECONDS = BUCKET_BOUNDS_MS.map((ms) => ms / 1000);

interface Sample {
  readonly value: number;
  readonly labels: Record<string, string | number>;
  readonly metricName: string;
}

const DURATION_NAME = "cairn_gateway_request_duration_seconds";
const DURATION_HELP = "Time from a request's arrival at the gateway to the end of its answer, by route and service.";

/** A histogram whose values are the gateway's own buckets, read at each scrape (prom-client formats it). */
class RequestDurations extends Histogram<"route" | "service"> {
  constructor(
    registry: Registry,
    private readonly telemetry: Telemetry,
  ) {
    super({
      name: DURATION_NAME,
      help: DURATION_HELP,
      labelNames: ["route", "service"],
      buckets: BOUNDS_SECONDS,
      registers: [registry],
    });
  }

  private samples(): Sample[] {
    const out: Sample[] = [];
    const name = DURATION_NAME;
    for (const r of this.telemetry.requests.read()) {
      const labels = { route: r.route, service: r.service };
      let acc = 0;
      for (let i = 0; i < BOUNDS_SECONDS.length; i++) {
        acc += r.durations.counts[i] ?? 0;
        out.push({ value: acc, labels: { ...labels, le: BOUNDS_SECONDS[i] ?? 0 }, metricName: `${name}_bucket` });
      }
      out.push({ value: r.durations.count, labels: { ...labels, le: "+Inf" }, metricName: `${name}_bucket` });
      out.push({ value: r.durations.sumMs / 1000, labels, metricName: `${name}_sum` });
      out.push({ value: r.durations.count, labels, metricName: `${name}_count` });
    }
    return out;
  }

  override async get(): ReturnType<Histogram["get"]> {
    // Not `super.get()`: prom-client's calls `getForPromString`, which is this.
    const metric = { name: DURATION_NAME, help: DURATION_HELP, type: "histogram", aggregator: "sum", values: this.samples() };
    return metric as unknown as Awaited<ReturnType<Histogram["get"]>>;
  }

  /** What the registry formats (prom-client prefers it to `get`). */
  async getForPromString() {
    return this.get();
  }
}

/** A registry with the run's metrics; each `metrics()` call reads them afresh. */
export function createMetricsRegistry(sources: MetricsSources): Registry {
  const registry = new Registry();
  const { telemetry } = sources;
  new Counter({
    name: "cairn_gateway_requests_total",
    help: "Requests answered by the gateway, by route, service and status class (other: the client left first).",
    labelNames: ["route", "service", "class"],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of telemetry.requests.read())
        for (let i = 0; i < STATUS_CLASSES.length; i++) {
          const n = r.classes[i] ?? 0;
          if (n > 0) this.inc({ route: r.route, service: r.service, class: STATUS_CLASSES[i] }, n);
        }
    },
  });
  new RequestDurations(registry, telemetry);
  new Counter({
    name: "cairn_otlp_spans_received_total",
    help: "Spans received over OTLP from the stack's processes.",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(telemetry.spans.total);
    },
  });
  new Counter({
    name: "cairn_otlp_metric_points_received_total",
    help: "Metric points received over OTLP from the stack's processes, kept or not.",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(telemetry.metrics.received);
    },
  });
  new Counter({
    name: "cairn_otlp_metric_points_dropped_total",
    help: "Metric points received over OTLP but not kept, by reason (see the console's Metrics page).",
    labelNames: ["reason"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(telemetry.metrics.dropped)) this.inc({ reason }, n);
    },
  });
  const replicas = sources.replicas;
  if (replicas !== undefined) {
    let readings: readonly ReplicaReading[] = [];
    new Gauge({
      name: "cairn_replica_cpu_percent",
      help: "CPU used by a replica's process group, in percent of one core, since the previous scrape.",
      labelNames: ["service", "replica"],
      registers: [registry],
      collect() {
        // The first metric collected reads the replicas once for the three.
        readings = replicas();
        this.reset();
        for (const r of readings) if (r.cpuPercent !== null) this.set({ service: r.service, replica: r.replica }, r.cpuPercent);
      },
    });
    new Gauge({
      name: "cairn_replica_memory_bytes",
      help: "Resident memory of a replica's process group.",
      labelNames: ["service", "replica"],
      registers: [registry],
      collect() {
        this.reset();
        for (const r of readings) if (r.memoryBytes !== null) this.set({ service: r.service, replica: r.replica }, r.memoryBytes);
      },
    });
    new Counter({
      name: "cairn_replica_restarts_total",
      help: "Times the supervisor restarted a replica after it exited.",
      labelNames: ["service", "replica"],
      registers: [registry],
      collect() {
        this.reset();
        for (const r of readings) this.inc({ service: r.service, replica: r.replica }, r.restarts);
      },
    });
  }
  return registry;
}

/** The content type of `metricsText`. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** The text a `/metrics` answer carries. */
export function metricsText(registry: Registry): Promise<string> {
  return registry.metrics();
}
