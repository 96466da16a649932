/**
 * CloudWatch alarms from the stack's `alarms`. An alarm without `notify` tells the stack's own SNS topic,
 * which the README tells how to subscribe to; one with `notify` tells a topic of its own with that e-mail
 * address or https:// URL subscribed.
 */
import { aws_cloudwatch_actions as actions, aws_cloudwatch as cloudwatch, Duration, aws_elasticloadbalancingv2 as elbv2 } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { alarmTopics } from "./alarm-topics.js";
import type { Built } from "./built.js";
import type { Plan, PlanAlarm } from "./plan-types.js";

const period = Duration.minutes(1);

function metricOf(alarm: PlanAlarm, built: Built): cloudwatch.IMetric | null {
  const service = alarm.target ? built.services.get(alarm.target)?.service : undefined;
  const alb = built.loadBalancer;
  switch (alarm.metric) {
    case "cpu":
      return service?.metricCpuUtilization({ period }) ?? null;
    case "memory":
      return service?.metricMemoryUtilization({ period }) ?? null;
    case "error_rate":
      return alb
        ? new cloudwatch.MathExpression({
            expression: "IF(requests > 0, 100 * errors / requests, 0)",
            usingMetrics: {
              errors: alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: "Sum" }),
              requests: alb.metrics.requestCount({ period, statistic: "Sum" }),
            },
            period,
            label: "5xx responses (%)",
          })
        : null;
    case "p50":
    case "p95":
    case "p99":
      return alb?.metrics.targetResponseTime({ period, statistic: alarm.metric }) ?? null;
    case "requests":
      return alb?.metrics.requestCount({ period, statistic: "Sum" }) ?? null;
    case "healthy_hosts":
      return (alarm.target && built.targetGroups.get(alarm.target)?.metrics.healthyHostCount({ period })) || null;
    case "db_cpu":
      return (alarm.target && built.databases.get(alarm.target)?.instance.metricCPUUtilization({ period })) || null;
    case "db_connections":
      return (alarm.target && built.databases.get(alarm.target)?.instance.metricDatabaseConnections({ period })) || null;
    case "cache_hit_rate": {
      const cache = alarm.target ? built.caches.get(alarm.target) : undefined;
      return cache
        ? new cloudwatch.Metric({
            namespace: "AWS/ElastiCache",
            metricName: "CacheHitRate",
            dimensionsMap: { CacheClusterId: `${cache.group.ref}-001` },
            period,
            statistic: "Average",
          })
        : null;
    }
    default:
      return null;
  }
}

export function buildAlarms(scope: Construct, plan: Plan, built: Built): void {
  if (!plan.alarms.length) return;
  const topic = alarmTopics(scope, plan.stackName);
  for (const alarm of plan.alarms) {
    const metric = metricOf(alarm, built);
    if (!metric) continue;
    const built_ = new cloudwatch.Alarm(scope, alarm.id, {
      alarmName: alarm.name,
      alarmDescription: alarm.description,
      metric,
      threshold: alarm.threshold,
      evaluationPeriods: alarm.periods,
      datapointsToAlarm: alarm.periods,
      comparisonOperator:
        cloudwatch.ComparisonOperator[
          {
            GreaterThanThreshold: "GREATER_THAN_THRESHOLD",
            GreaterThanOrEqualToThreshold: "GREATER_THAN_OR_EQUAL_TO_THRESHOLD",
            LessThanThreshold: "LESS_THAN_THRESHOLD",
            LessThanOrEqualToThreshold: "LESS_THAN_OR_EQUAL_TO_THRESHOLD",
          }[alarm.comparison] as keyof typeof cloudwatch.ComparisonOperator
        ],
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    built_.addAlarmAction(new actions.SnsAction(topic(alarm.notify)));
  }
}
