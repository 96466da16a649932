/**
 * The evaluator's input: a sample per metric per subject. It is built here from what the local run
 * measures, so the evaluator depends on no part of the runtime: replica use from the supervisor, the
 * gateway's healthy targets, and requests over the last minute from the gateway's telemetry (any source
 * with `RequestWindows`' shape).
 */
import type { Sample } from "./evaluate.js";
import { REQUEST_METRICS } from "./subjects.js";

/** Reads one metric of one subject (a service, a resource, or null for the whole edge). */
export type Samples = (metric: string, subject: string | null) => Sample;

/** Requests answered over the last minute, for a service or (null) the whole edge. */
export interface RequestWindow {
  readonly requests: number;
  /** Answers with a 5xx status. */
  readonly errors: number;
  /** Response time percentiles in ms, null with no request. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

/** Request windows by subject; undefined when the source has no request metrics at all. */
export type RequestWindows = (subject: string | null) => RequestWindow | null;

export interface MeasuredNow {
  /** Average use of reserved CPU and memory (percent) per running service. */
  readonly usage: ReadonlyMap<string, { readonly cpu: number | null; readonly memory: number | null }>;
  /** Healthy targets per routed service, as the gateway sees them. */
  readonly healthyHosts: ReadonlyMap<string, number>;
  /** Null when nothing measures requests (no gateway, or no telemetry wired). */
  readonly requests: RequestWindows | null;
}

function requestSample(metric: string, window: RequestWindow | null): Sample {
  if (!window) return null;
  switch (metric) {
    // As the aws target's expression: IF(requests > 0, 100 * errors / requests, 0).
    case "error_rate":
      return window.requests > 0 ? (100 * window.errors) / window.requests : 0;
    case "requests":
      return window.requests;
    case "p50":
      return window.p50Ms;
    case "p95":
      return window.p95Ms;
    case "p99":
      return window.p99Ms;
    default:
      return undefined;
  }
}

/** The samples of this moment. */
export function samplesFrom(measured: MeasuredNow): Samples {
  return (metric, subject) => {
    if (metric === "cpu" || metric === "memory") {
      if (subject === null) return undefined;
      const use = measured.usage.get(subject);
      return use ? use[metric] : null;
    }
    if (metric === "healthy_hosts") return subject === null ? undefined : (measured.healthyHosts.get(subject) ?? 0);
    if ((REQUEST_METRICS as readonly string[]).includes(metric)) return measured.requests ? requestSample(metric, measured.requests(subject)) : undefined;
    return undefined;
  };
}
