/**
 * The stack's alarms as a PrometheusRule (prometheus-operator's monitoring.coreos.com/v1): one
 * alerting rule per alarm and service, with the alarm's threshold and its duration as `for:`.
 * CPU and memory are the containers' use against what the manifests give them (cAdvisor's
 * `container_*` series, kube-state-metrics' requests and limits), as ECS reports a service's use
 * against its task size; error rate and latency are ingress-nginx's, as the load balancer's on AWS.
 * Pure.
 */
import type { Alarm, Stack } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import { k8sName, namespaceOf, partOf } from "./names.js";

/** The window each rate is taken over: four scrapes at prometheus-operator's default 30 s interval. */
const WINDOW = "2m";

/** A Prometheus duration from milliseconds: whole seconds, as `5m` when it is whole minutes. */
export function promDuration(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}

/** A PromQL string literal of a Kubernetes name (letters, digits and dashes: nothing to escape). */
const literal = (name: string) => `"${name}"`;

/** The expression of one alarm on one service (null for the whole edge), in the alarm's unit, or null when Kubernetes has no such metric. */
export function expressionOf(stack: Stack, alarm: Alarm, service: string | null): string | null {
  const ns = literal(namespaceOf(stack));
  const compare = `${alarm.op} ${/^p\d+$/.test(alarm.metric) ? alarm.threshold / 1000 : alarm.threshold}`;
  const container = service === null ? "" : `, container=${literal(k8sName(service))}`;
  // ingress-nginx's series carry the Ingress's namespace as `exported_namespace` once scraped by a ServiceMonitor.
  const edge = `exported_namespace=${ns}${service === null ? "" : `, service=${literal(k8sName(service))}`}`;
  switch (alarm.metric) {
    case "cpu":
      return `100 * sum(rate(container_cpu_usage_seconds_total{namespace=${ns}${container}}[${WINDOW}])) / sum(kube_pod_container_resource_requests{namespace=${ns}${container}, resource="cpu"}) ${compare}`;
    case "memory":
      return `100 * sum(container_memory_working_set_bytes{namespace=${ns}${container}}) / sum(kube_pod_container_resource_limits{namespace=${ns}${container}, resource="memory"}) ${compare}`;
    case "error_rate":
      return `100 * sum(rate(nginx_ingress_controller_requests{${edge}, status=~"5.."}[${WINDOW}])) / sum(rate(nginx_ingress_controller_requests{${edge}}[${WINDOW}])) ${compare}`;
    case "p50":
    case "p95":
    case "p99":
      return `histogram_quantile(${Number(alarm.metric.slice(1)) / 100}, sum by (le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{${edge}}[${WINDOW}]))) ${compare}`;
    default:
      return null;
  }
}

/** What each alarm watches: each of its services for cpu and memory, the edge (or its one service) for the others. */
function watched(stack: Stack, alarm: Alarm): (string | null)[] {
  if (alarm.metric === "cpu" || alarm.metric === "memory")
    return stack.services.filter((s) => alarm.service === null || s.name === alarm.service).map((s) => s.name);
  return [alarm.service];
}

/** `cityflow`, `error_rate` -> `CityflowErrorRate`. */
const alertName = (...words: string[]) =>
  words
    .flatMap((w) => w.split(/[^A-Za-z0-9]+/))
    .map((w) => (w[0] ?? "").toUpperCase() + w.slice(1))
    .join("");

/** The PrometheusRule of the stack's alarms, or null when it has none Kubernetes can watch. */
export function alarmRules(stack: Stack, warnings: TargetNote[]): object | null {
  const rules: object[] = [];
  for (const alarm of stack.alarms) {
    const targets = watched(stack, alarm);
    const exprs = targets.map((t) => [t, expressionOf(stack, alarm, t)] as const).filter((e): e is readonly [string | null, string] => e[1] !== null);
    if (!exprs.length) {
      warnings.push({ part: `alarms.${alarm.source}`, message: `no ${alarm.metric} metric in a Kubernetes cluster's Prometheus`, instead: "no rule" });
      continue;
    }
    for (const [service, expr] of exprs)
      rules.push({
        alert: alertName(stack.name, alarm.metric),
        expr,
        for: promDuration(alarm.forMs),
        labels: { severity: "warning", ...(service === null ? {} : { service: k8sName(service) }) },
        annotations: { summary: `${alarm.source}${service === null ? "" : ` (${service})`}` },
      });
  }
  if (!rules.length) return null;
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: k8sName(`${stack.name}-alarms`), labels: partOf(stack) },
    spec: { groups: [{ name: `${k8sName(stack.name)}.alarms`, rules }] },
  };
}
