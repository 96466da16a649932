/** The stack's alarms in the plan: one CloudWatch alarm per watched service, database or cache. */
import { alarmSubjects } from "../../model/alarm-subjects.js";
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

/** What each metric watches: the model's subjects, and the load balancer (null) for request metrics. */
function targetsOf(stack: Stack, alarm: Alarm, hasLoadBalancer: boolean): (string | null)[] {
  return alarmSubjects(stack, alarm) ?? (hasLoadBalancer ? [null] : []);
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
