/**
 * Lines of operations every cloud option shares: logs, alarms, what a machine sends to CloudWatch,
 * secrets, and the file's extra costs. Pure.
 */

import { ec2AlarmCount, planEc2 } from "../targets/aws/ec2-plan.js";
import { planOf } from "../targets/aws/plan.js";
import {
  AGENT_METRICS,
  agentMetricName,
  agentWanted,
  EDGE_ALARMS,
  EDGE_LOG_LINE_BYTES,
  EDGE_LOG_METRICS,
  edgeMetricsLog,
  logGroupName,
} from "../targets/common/machine-telemetry.js";
import { COMPOSE_LOGS, COMPOSE_NO_ALARMS } from "../targets/common/notes.js";
import { alarmId, extraId, fmt, type PricingContext, secretId } from "./context.js";
import { CostInputError } from "./errors.js";
import { gb } from "./lines.js";

/** CloudWatch Logs ingestion when logs go there (always on aws and k8s; compose keeps them in Docker). */
export function logs(ctx: PricingContext): void {
  const cloud = ctx.option === "aws" || ctx.option === "k8s" || (ctx.option === "vm" && ctx.stack.logs.destination === "cloudwatch");
  if (!cloud) {
    ctx.bill.skip("logs", ctx.option === "compose" ? COMPOSE_LOGS : `kept on the machine's disk (${ctx.stack.logs.destination})`);
    return;
  }
  ctx.bill.add({
    components: ["logs"],
    service: "CloudWatch",
    item: `log ingestion (${ctx.stack.logs.group})`,
    price: { service: "cloudwatch", sku: "logs ingestion (standard class)", region: ctx.region },
    quantity: gb(ctx.stack.environment.usage.logBytes),
    note: "log storage after ingestion is not in the catalog",
  });
}

/**
 * CloudWatch alarms, as many as the option's build makes: on aws, one per watched service, database or
 * cache (the aws target's plan); on the vm target's machine, a cpu or memory alarm on each instance
 * and an edge alarm once (the EC2 app's plan). Kubernetes evaluates them in the cluster's Prometheus
 * (PrometheusRule) and compose carries none: no CloudWatch alarm there.
 */
export function alarms(ctx: PricingContext): void {
  const { stack, option } = ctx;
  if (stack.alarms.length === 0) return;
  const components = stack.alarms.map((a) => alarmId(a.source));
  if (option === "k8s" || option === "compose") {
    const why = option === "k8s" ? "a PrometheusRule, evaluated by the cluster's Prometheus: no CloudWatch alarm" : COMPOSE_NO_ALARMS;
    for (const c of components) ctx.bill.skip(c, why);
    return;
  }
  const count = option === "aws" ? planOf(stack).plan.alarms.length : ec2AlarmCount(planEc2(stack).plan);
  if (count === 0) {
    for (const c of components) ctx.bill.skip(c, "nothing to watch in this stack: the build makes no alarm (cairn build says why)");
    return;
  }
  const perInstance = option === "vm" && stack.environment.instances > 1 && stack.alarms.some((a) => a.metric === "cpu" || a.metric === "memory");
  ctx.bill.add({
    components,
    service: "CloudWatch",
    item: `${count} alarms`,
    price: { service: "cloudwatch", sku: "standard-resolution alarm", region: ctx.region },
    quantity: count,
    unit: "alarm-month",
    ...(perInstance ? { note: `cpu and memory alarms on each of ${stack.environment.instances} instances` } : {}),
  });
  if (option === "aws") ctx.bill.assume("Alarms watch the ECS, ALB and RDS metrics AWS publishes for free; no custom metrics are priced.");
}

const CUSTOM_METRIC = "custom metric, first 10,000";

/**
 * What the vm target's machine sends to CloudWatch besides its processes' logs, read from the facts
 * the vm target generates from: the CloudWatch agent's metrics, each a custom metric per instance,
 * when the agent runs; and when an alarm watches the edge, nginx's metrics log, ingested, and the
 * metrics CloudWatch's filters count from it, each a custom metric.
 */
export function machineMetrics(ctx: PricingContext): void {
  if (ctx.option !== "vm") return;
  const { stack } = ctx;
  const edgeLog = edgeMetricsLog(stack) !== null;
  const edgeAlarms = edgeLog ? stack.alarms.filter((a) => EDGE_ALARMS.includes(a.metric)).map((a) => alarmId(a.source)) : [];
  if (agentWanted(stack)) {
    const names = AGENT_METRICS.map(agentMetricName);
    const n = stack.environment.instances;
    ctx.bill.add({
      components: [
        ...(stack.logs.destination === "cloudwatch" ? ["logs"] : []),
        ...stack.alarms.filter((a) => a.metric === "memory").map((a) => alarmId(a.source)),
        ...edgeAlarms,
      ],
      service: "CloudWatch",
      item: `${names.length * n} custom metrics (${names.join(", ")})`,
      price: { service: "cloudwatch", sku: CUSTOM_METRIC, region: ctx.region },
      quantity: names.length * n,
      unit: "metric-month",
      note: `the CloudWatch agent's${n === 1 ? "" : `, ${names.length} on each of ${n} instances`}; its PutMetricData requests are not in the catalog`,
    });
  }
  if (!edgeLog) return;
  const requests = stack.environment.usage.requests;
  ctx.bill.add({
    components: ["edge", ...edgeAlarms],
    service: "CloudWatch",
    item: `log ingestion (${logGroupName(stack, null)})`,
    price: { service: "cloudwatch", sku: "logs ingestion (standard class)", region: ctx.region },
    quantity: (requests * EDGE_LOG_LINE_BYTES) / 1e9,
    note: `the edge's metrics log: one ${EDGE_LOG_LINE_BYTES}-byte line per request, ${fmt(requests)} requests`,
  });
  const filters = Object.values(EDGE_LOG_METRICS).map((f) => f.metricName);
  ctx.bill.add({
    components: ["edge", ...edgeAlarms],
    service: "CloudWatch",
    item: `${filters.length} custom metrics (${filters.join(", ")})`,
    price: { service: "cloudwatch", sku: CUSTOM_METRIC, region: ctx.region },
    quantity: filters.length,
    unit: "metric-month",
    note: "counted from the edge's metrics log by metric filters, billed as custom metrics",
  });
}

/** Secrets Manager on aws and k8s; on machines secrets live in a file on the machine. */
export function secrets(ctx: PricingContext): void {
  const list = ctx.stack.secrets;
  if (list.length === 0) return;
  if (ctx.option === "vm" || ctx.option === "compose") {
    for (const s of list) ctx.bill.skip(secretId(s.name), "kept in an environment file on the machine: no charge");
    return;
  }
  ctx.bill.add({
    components: list.map((s) => secretId(s.name)),
    service: "Secrets Manager",
    item: `${list.length} secrets`,
    price: { service: "secretsmanager", sku: "secret", region: ctx.region },
    quantity: list.length,
    unit: "secret-month",
    note: "API calls (read at task start) not priced: $0.05 per 10,000",
  });
}

/** The file's extra costs, each its own line; one in EUR needs the user's rate to be added. */
export function extraCosts(ctx: PricingContext): void {
  for (const c of ctx.stack.environment.extraCosts) {
    let usd = c.monthly;
    let note = c.note;
    if (c.currency === "EUR") {
      if (ctx.rate === null) {
        throw new CostInputError(
          `extra cost "${c.name}" is in EUR and no exchange rate was given`,
          "Pass --currency EUR --rate R (EUR per USD) so Cairn can add it.",
        );
      }
      usd = c.monthly / ctx.rate;
      note = `${fmt(c.monthly)} EUR at ${ctx.rate} EUR/USD${note ? `; ${note}` : ""}`;
    }
    ctx.bill.addFixed({
      components: [extraId(c.name)],
      service: c.name,
      item: "plan (from the file)",
      quantity: 1,
      unit: "month",
      unitPrice: usd,
      note: note ?? "extra_costs in the file",
    });
  }
}
