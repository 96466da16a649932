/** The stack's alarms in the plan: one CloudWatch alarm per watched service, database or cache. */
import type { Alarm, Stack } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import type { PlanAlarm } from "./cdk/plan-types.js";
import { pascal } from "./plan-tasks.js";

const COMPARISON = {
  ">": "GreaterThanThreshold",
  ">=": "GreaterThanOrEqualToThreshold",
  "<": "LessThanThreshold",
  "<=": "LessThanOrEqualToThreshold",
} as const;

/** What each metric watches: every service, the load balancer (null), every database or cache. */
function targetsOf(stack: Stack, alarm: Alarm, hasLoadBalancer: boolean): (string | null)[] {
  const services = stack.services.filter((s) => alarm.service === null || s.name === alarm.service);
  switch (alarm.metric) {
    case "cpu":
    case "memory":
      return services.map((s) => s.name);
    case "healthy_hosts":
      return services.filter((s) => s.public && s.port).map((s) => s.name);
    case "db_cpu":
    case "db_connections":
      return stack.resources.filter((r) => r.type === "postgres").map((r) => r.name);
    case "cache_hit_rate":
      return stack.resources.filter((r) => r.type === "redis").map((r) => r.name);
    default:
      return hasLoadBalancer ? [null] : [];
  }
}

export function planAlarms(stack: Stack, stackName: string, hasLoadBalancer: boolean, warnings: TargetNote[]): PlanAlarm[] {
  const out: PlanAlarm[] = [];
  for (const alarm of stack.alarms) {
    const targets = targetsOf(stack, alarm, hasLoadBalancer);
    if (!targets.length)
      warnings.push({ part: `alarms.${alarm.source}`, message: `nothing to watch for ${alarm.metric} in this stack on AWS`, instead: "no alarm" });
    const latency = /^p\d+$/.test(alarm.metric);
    for (const target of targets) {
      const suffix = target ? `-${target}` : "";
      out.push({
        id: `Alarm${pascal(alarm.metric)}${target ? pascal(target) : ""}`,
        name: `${stackName}-${alarm.metric.replaceAll("_", "-")}${suffix}`,
        description: `${alarm.source}${target ? ` (${target})` : ""}`,
        metric: alarm.metric,
        target,
        comparison: COMPARISON[alarm.op],
        // CloudWatch reports response time in seconds; the model keeps milliseconds.
        threshold: latency ? alarm.threshold / 1000 : alarm.threshold,
        periods: Math.max(1, Math.ceil(alarm.forMs / 60_000)),
        notify: alarm.notify,
      });
    }
  }
  return out;
}
