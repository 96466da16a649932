/**
 * The plan of a vm environment's machine on AWS: the facts `cairn cost` prices (instance type and
 * count, disk, one address each, the managed data stores with their classes), read from the model
 * the same way, plus the security group from the machine's port rules, the role's grants and the
 * logs. Pure.
 */

import { gb } from "../../cost/lines.js";
import { DEFAULT_DB_CLASS } from "../../cost/managed.js";
import { cacheNodeFor, demand, smallestFit } from "../../cost/sizing.js";
import type { Stack } from "../../model/types.js";
import { cloudWatchRetentionDays } from "../common/cloudwatch.js";
import { agentWanted, EDGE_ALARMS, EDGE_LOG_METRICS } from "../common/machine-telemetry.js";
import { edgeNotes } from "../common/notes.js";
import { portNotes, publicPorts } from "../common/public-ports.js";
import type { TargetNote } from "../types.js";
import { logGroupsOf, type MachineLogGroup } from "../vm/cloudwatch.js";
import type { Ec2Alarm, Ec2Image, Ec2LogGroup, Ec2Plan } from "./cdk/ec2/plan-types.js";
import { userData } from "./ec2-user-data.js";
import { stackNameOf } from "./plan.js";
import { planBucket, planCache, planDatabase, planTable } from "./plan-data.js";
import { pascal } from "./plan-tasks.js";

const COMPARISON = {
  ">": "GreaterThanThreshold",
  ">=": "GreaterThanOrEqualToThreshold",
  "<": "LessThanThreshold",
  "<=": "LessThanOrEqualToThreshold",
} as const;

/** Graviton types (`t4g`, `m7g`, `c7gn`, `im4gn`) run arm64 images. */
export function architectureOf(type: string): "x86_64" | "arm64" {
  const suffix = /^[a-z]+\d+([a-z-]*)\./.exec(type)?.[1] ?? "";
  return suffix.includes("g") ? "arm64" : "x86_64";
}

/** Debian 12, the system `cairn deploy` is tested on, by its public Systems Manager parameter. */
export function debianImage(architecture: "x86_64" | "arm64"): Ec2Image {
  return { name: "Debian 12", ssmParameter: `/aws/service/debian/release/12/latest/${architecture === "arm64" ? "arm64" : "amd64"}`, user: "admin" };
}

/** The instance type: the file's, else the one `cairn cost` chooses from what the processes ask. */
export function instanceTypeOf(stack: Stack): { type: string; chosen: boolean } {
  const env = stack.environment;
  if (env.instance) return { type: env.instance, chosen: false };
  const self = stack.resources.filter((r) => r.placement === "self").map((r) => r.name);
  return { type: smallestFit(demand(stack, self), env.instances).name, chosen: true };
}

/** A source as a CIDR block: a bare address is that address alone. */
export function cidrOf(source: string): string {
  return source.includes("/") ? source : `${source}/${source.includes(":") ? 128 : 32}`;
}

/** A security-group rule's description holds only these characters (and 255 of them). */
export function ruleDescription(text: string): string {
  return text.replace(/[^a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]/g, " ").slice(0, 255);
}

/** The vm target's log groups: one per process when logs go to CloudWatch, the edge's metrics log when an alarm reads it. */
function machineGroupsOf(stack: Stack, errors: TargetNote[]): MachineLogGroup[] {
  const { groups, errors: refused } = logGroupsOf(stack);
  errors.push(...refused);
  return groups;
}

function alarms(stack: Stack, stackName: string, edge: boolean, warnings: TargetNote[]): Ec2Alarm[] {
  const out: Ec2Alarm[] = [];
  for (const alarm of stack.alarms) {
    const metric = alarm.metric;
    const onEdge = EDGE_ALARMS.includes(metric);
    if (metric !== "cpu" && metric !== "memory" && !(onEdge && edge)) {
      const why = onEdge ? "no edge (nginx) on this machine to count requests" : `one machine has no ${metric} metric in CloudWatch`;
      warnings.push({ part: `alarms.${alarm.source}`, message: why, instead: "no alarm" });
      continue;
    }
    out.push({
      id: `Alarm${pascal(metric)}`,
      name: `${stackName}-${metric.replaceAll("_", "-")}`,
      description: `${alarm.source} (${onEdge ? "the edge" : "the machine"})`,
      metric: metric as Ec2Alarm["metric"],
      comparison: COMPARISON[alarm.op],
      // The edge's response time is in seconds, as nginx writes it; the model keeps milliseconds.
      threshold: /^p\d+$/.test(metric) ? alarm.threshold / 1000 : alarm.threshold,
      periods: Math.max(1, Math.ceil(alarm.forMs / 60_000)),
      notify: alarm.notify,
    });
  }
  return out;
}

/** The machine and what the environment places in AWS, or what stops the plan. */
export function planEc2(stack: Stack): { plan: Ec2Plan; warnings: TargetNote[]; errors: TargetNote[] } {
  const warnings: TargetNote[] = [...edgeNotes(stack)];
  const errors: TargetNote[] = [];
  const env = stack.environment;
  const stackName = stackNameOf(stack);
  const { type, chosen } = instanceTypeOf(stack);
  if (chosen)
    warnings.push({
      part: `environments.${env.name}.instance`,
      message: "the environment names no instance type",
      instead: `${type}, as \`cairn cost\` chose it`,
    });
  if (env.spot)
    warnings.push({
      part: `environments.${env.name}.spot`,
      message: "a spot instance can be taken back at two minutes' notice",
      instead: "an on-demand instance",
    });
  if (env.instances > 1)
    warnings.push({
      part: `environments.${env.name}.instances`,
      message: "no load balancer in front of the machines",
      instead: "each machine has its own address; point DNS at them",
    });
  const architecture = architectureOf(type);
  const ports = publicPorts(stack);
  warnings.push(...portNotes(ports, "SSH open to any address"));
  const managed = stack.resources.filter((r) => r.placement === "managed");
  const machineGroups = machineGroupsOf(stack, errors);
  const groups: Ec2LogGroup[] = machineGroups.map((g) => ({
    id: g.process === null ? "EdgeMetricsLog" : `Logs${pascal(g.process)}`,
    name: g.name,
    process: g.process,
    file: g.file,
  }));
  const edgeGroup = groups.find((g) => g.process === null);
  const planned = alarms(stack, stackName, edgeGroup !== undefined, warnings);
  // The agent runs when it ships logs or publishes what an alarm watches; it then publishes CPU, memory and disk.
  const agentMetrics = agentWanted(stack);
  const retentionDays = cloudWatchRetentionDays(stack.logs.retentionMs);
  const plan: Ec2Plan = {
    kind: "ec2",
    stackName,
    description: stack.description ?? `${stack.name} (${env.name}) on one machine, generated by Cairn`,
    region: env.region,
    instance: { type, count: env.instances, diskGb: Math.ceil(gb(env.diskBytes)), architecture },
    image: debianImage(architecture),
    ports: ports.map((r) => ({ port: r.port, protocol: r.protocol, sources: r.sources.map(cidrOf), description: ruleDescription(r.description) })),
    // The classes `cairn cost` prices when the file names none.
    databases: managed.flatMap((r) => (r.type === "postgres" ? [{ ...planDatabase(r, warnings, errors), instanceType: r.instance ?? DEFAULT_DB_CLASS }] : [])),
    caches: managed.flatMap((r) => (r.type === "redis" ? [{ ...planCache(r, warnings, errors), nodeType: r.instance ?? cacheNodeFor(r.memoryBytes) }] : [])),
    buckets: managed.flatMap((r) => (r.type === "bucket" || r.type === "static" ? [planBucket(stack, r, warnings)] : [])),
    tables: managed.flatMap((r) => (r.type === "table" ? [planTable(r)] : [])),
    logs: groups.length ? { retentionDays, groups } : null,
    agentMetrics,
    userData: userData({ stack: stack.name, region: env.region, architecture, groups: machineGroups, retentionDays, metrics: agentMetrics }),
    alarms: planned,
    edgeMetrics: edgeGroup ? { logGroupId: edgeGroup.id, namespace: `Cairn/${stackName}`, filters: EDGE_LOG_METRICS } : null,
  };
  return { plan, warnings, errors };
}

/** The CloudWatch alarms the machine's app makes: a cpu or memory alarm on each instance, an edge alarm once. */
export function ec2AlarmCount(plan: Ec2Plan): number {
  return plan.alarms.reduce((n, a) => n + (a.metric === "cpu" || a.metric === "memory" ? plan.instance.count : 1), 0);
}
