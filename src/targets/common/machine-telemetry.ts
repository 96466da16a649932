/**
 * What one machine sends to CloudWatch, as facts every reader shares: the CloudWatch agent's metrics
 * (each a custom metric, per instance), and nginx's metrics log of the edge with the metrics
 * CloudWatch counts from it (metric filters; "metrics extracted from log events are charged as custom
 * metrics", AWS's PutMetricFilter reference). The vm target's agent configuration and nginx site, the
 * EC2 machine's metric filters and `cairn cost` all read them here. Pure.
 */
import type { Stack } from "../../model/types.js";
import type { Ec2EdgeMetric } from "../aws/cdk/ec2/plan-types.js";
import { needsProxy } from "./edge.js";

/** One measurement of one of the agent's plugins, with the plugin's other settings. */
export interface AgentMetric {
  readonly plugin: "cpu" | "mem" | "disk";
  readonly measurement: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

/**
 * CPU (all cores together), memory and root-disk use, every minute, each with the instance's id as
 * dimension: one custom metric each per instance (the root disk is one path, so one metric).
 */
export const AGENT_METRICS: readonly AgentMetric[] = [
  { plugin: "cpu", measurement: "cpu_usage_active", settings: { totalcpu: true } },
  { plugin: "mem", measurement: "mem_used_percent", settings: {} },
  { plugin: "disk", measurement: "used_percent", settings: { resources: ["/"] } },
];

/** The metric's name in CloudWatch: the agent prefixes a measurement with its plugin unless it already is. */
export function agentMetricName(metric: AgentMetric): string {
  return metric.measurement.startsWith(`${metric.plugin}_`) ? metric.measurement : `${metric.plugin}_${metric.measurement}`;
}

/** Alarms on the edge's requests: on one machine, CloudWatch counts them from nginx's metrics log. */
export const EDGE_ALARMS: readonly string[] = ["error_rate", "p50", "p95", "p99"];

/** nginx's `log_format` of the edge's metrics log: one JSON line per request. */
export const EDGE_LOG_FORMAT = '{"status":$status,"request_time":$request_time}';

/** Bytes of one line as CloudWatch ingests it: a 3-digit status and a time in seconds, in milliseconds, under 10 s. */
export const EDGE_LOG_LINE_BYTES = EDGE_LOG_FORMAT.replace("$status", "200").replace("$request_time", "0.000").length;

/** A metric filter on the edge's log (the shape the EC2 app's plan carries). */
export type EdgeLogMetric = Ec2EdgeMetric;

/** Requests, 5xx answers and response time (seconds), counted from the edge's log. */
export const EDGE_LOG_METRICS = {
  requests: { id: "EdgeRequests", metricName: "Requests", field: "$.status", min: 100, value: "1", defaultValue: 0 },
  errors: { id: "EdgeErrors", metricName: "Errors5xx", field: "$.status", min: 500, value: "1", defaultValue: 0 },
  responseTime: { id: "EdgeResponseTime", metricName: "ResponseTime", field: "$.request_time", min: 0, value: "$.request_time" },
} as const satisfies Record<string, EdgeLogMetric>;

/** A log group of the stack: a process's (`<group>/<process>`), or the edge's metrics log (`<group>/_edge`, a name no process can have). */
export function logGroupName(stack: Stack, process: string | null): string {
  return `${stack.logs.group.replace(/\/+$/, "")}/${process ?? "_edge"}`;
}

/** nginx's second access log, one JSON line per request, when an alarm watches the edge's requests. */
export function edgeMetricsLog(stack: Stack): string | null {
  return needsProxy(stack) && stack.alarms.some((a) => EDGE_ALARMS.includes(a.metric)) ? `/var/log/nginx/${stack.name}-metrics.log` : null;
}

/**
 * The agent runs when it ships the processes' logs, or an alarm needs what it sends: memory use (CPU is
 * EC2's own metric) or the edge's metrics log.
 */
export function agentWanted(stack: Stack): boolean {
  return stack.logs.destination === "cloudwatch" || stack.alarms.some((a) => a.metric === "memory") || edgeMetricsLog(stack) !== null;
}
