/**
 * The aws view, from the aws target's plan: the region, the VPC with its public and private subnets,
 * the load balancer, the NAT gateway, the Fargate services and scheduled tasks, RDS and ElastiCache
 * inside; WAF, S3, DynamoDB, Secrets Manager and the alarms beside. What the target does not build
 * (a CloudFront distribution, SSH) is said in the notes, from the target's own warnings.
 */

import type { Words } from "../../guide/i18n/words.js";
import type { Stack } from "../../model/types.js";
import type { PlanRoute, PlanService, PlanTask } from "../../targets/aws/cdk/plan-types.js";
import { rateText } from "../describe.js";
import { type AwsRule, awsFacts, LOAD_BALANCER } from "../sources/aws.js";
import { type Diagram, DiagramBuilder } from "../types.js";
import { partId } from "./logical.js";

function taskLines(w: Words, t: PlanTask): string {
  return w.t("aws.fargate", { cpu: w.number(t.cpu / 1024), memory: w.bytes(t.memoryMiB * 1024 ** 2) });
}

function serviceLines(w: Words, s: PlanService): string[] {
  const lines = [taskLines(w, s)];
  lines.push(
    s.scaling ? w.t("aws.tasksScaled", { desired: s.desiredCount, min: s.scaling.min, max: s.scaling.max }) : w.t("aws.tasks", { count: s.desiredCount }),
  );
  if (s.port) lines.push(w.t("service.port", { port: String(s.port) }));
  if (s.healthCheck) lines.push(w.t("health.http", { path: s.healthCheck.path, interval: w.duration(s.healthCheck.intervalSeconds * 1000) }));
  return lines;
}

/** The aws view of one environment. */
export function awsView(stack: Stack, w: Words): Diagram {
  const { plan, warnings, rules, loadBalancer } = awsFacts(stack);
  const d = new DiagramBuilder();
  const internet = d.node({ id: "internet", kind: "internet", title: w.t("diagram.internet"), lines: [] });
  const region = d.node({ id: "region", kind: "cloud", title: `AWS · ${plan.region}`, lines: [] });
  const vpc = d.node({ id: "vpc", kind: "network", title: "VPC", lines: [w.t("aws.zones", { count: 2 })], parent: region });
  // A subnet with nothing in it is still part of the VPC the target creates: it is drawn, and says so.
  const tasksInPrivate = plan.nat && plan.services.length + plan.jobs.length > 0;
  const privateEmpty = !tasksInPrivate && plan.databases.length + plan.caches.length === 0;
  const pub = d.node({ id: "public", kind: "subnet", title: w.t("aws.publicSubnets"), lines: [], parent: vpc });
  const priv = d.node({
    id: "private",
    kind: "subnet",
    title: w.t(plan.nat ? "aws.privateSubnets" : "aws.isolatedSubnets"),
    lines: privateEmpty ? [w.t("aws.emptySubnet")] : [],
    parent: vpc,
  });
  const tasks = plan.nat ? priv : pub;
  let front = internet;
  if (plan.waf) {
    const waf = plan.waf;
    const lines = [waf.sqli ? "SQLi" : null, waf.xss ? "XSS" : null, waf.geoBlock.length ? w.t("edge.geoBlock", { countries: waf.geoBlock.join(", ") }) : null];
    if (waf.rateLimit) lines.push(w.t("edge.rateLimit", { rate: rateText(w, { requests: waf.rateLimit.limit, perMs: waf.rateLimit.windowSeconds * 1000 }) }));
    front = d.node({ id: "waf", kind: "waf", title: "AWS WAF", lines: lines.filter((l): l is string => l !== null), parent: region });
    d.edge(internet, front, "traffic");
  }
  if (loadBalancer) {
    const l = plan.listener;
    const lines = [l.https ? `HTTPS ${l.port}` : `HTTP ${l.port}`];
    if (l.https && l.redirectHttp && l.port !== 80) lines.push(w.t("edge.redirect"));
    if (plan.certificate?.kind === "domain") lines.push(w.t("aws.certificate", { domain: plan.certificate.domain }));
    const alb = d.node({ id: LOAD_BALANCER, kind: "balancer", title: "Application Load Balancer", lines, parent: pub });
    d.edge(front, alb, "traffic");
  }
  if (plan.nat) d.node({ id: "nat", kind: "nat", title: "NAT gateway", lines: [w.t("aws.natPurpose")], parent: pub });
  for (const s of plan.services)
    d.node({ id: partId("service", s.name), kind: "service", title: s.name, lines: serviceLines(w, s), parent: tasks, ref: `service:${s.name}` });
  for (const j of plan.jobs) {
    const lines = [taskLines(w, j), j.schedule ? `${j.schedule} (${j.timezone})` : w.t("schedule.none")];
    d.node({ id: partId("job", j.name), kind: "job", title: j.name, lines, parent: tasks, ref: `job:${j.name}` });
  }
  for (const db of plan.databases) {
    const lines = [
      `RDS PostgreSQL ${db.version} · ${db.instanceType}`,
      [w.t("unit.gb", { n: w.number(db.storageGb) }), db.multiAz ? w.t("resource.multiAz") : null].filter(Boolean).join(" · "),
    ];
    if (db.readReplicas) lines.push(w.t("resource.readReplicas", { count: db.readReplicas }));
    if (db.backupRetentionDays)
      lines.push(w.t("resource.backups", { retention: w.duration(db.backupRetentionDays * 86_400_000) }) + (db.encrypted ? ` · ${w.t("aws.encrypted")}` : ""));
    d.node({ id: partId("resource", db.name), kind: "postgres", title: db.name, lines, parent: priv, ref: `resource:${db.name}` });
  }
  for (const c of plan.caches) {
    const lines = [
      `ElastiCache Redis ${c.engineVersion} · ${c.nodeType}`,
      [c.replicas ? w.t("aws.primaryReplicas", { count: c.replicas }) : w.t("aws.oneNode"), c.evictionPolicy].join(" · "),
    ];
    d.node({ id: partId("resource", c.name), kind: "redis", title: c.name, lines, parent: priv, ref: `resource:${c.name}` });
  }
  for (const b of plan.buckets) {
    const lines = [
      `S3 · ${b.bucketName}`,
      [b.versioned ? w.t("resource.versioned") : null, b.publicRead ? w.t("resource.publicRead") : null].filter(Boolean).join(" · "),
    ];
    for (const t of b.transitions) lines.push(`${w.duration(t.days * 86_400_000)} → ${t.storageClass}`);
    for (const e of b.expirations) lines.push(`${w.duration(e.days * 86_400_000)} → ${w.t("lifecycle.delete")}`);
    d.node({ id: partId("resource", b.name), kind: "bucket", title: b.name, lines: lines.filter((x) => x), parent: region, ref: `resource:${b.name}` });
  }
  for (const t of plan.tables)
    d.node({
      id: partId("resource", t.name),
      kind: "table",
      title: t.name,
      lines: [`DynamoDB · ${t.tableName}`, w.t("resource.key", { hash: t.hashKey, range: t.rangeKey ?? "—" })],
      parent: region,
      ref: `resource:${t.name}`,
    });
  const secretTasks = [...plan.services, ...plan.jobs].filter((t) => Object.values(t.environment).some((v) => v.kind !== "text"));
  if (secretTasks.length) {
    const names = [...plan.secrets, ...plan.databases.map((db) => w.t("aws.databaseSecret", { name: db.name }))];
    const sm = d.node({ id: "secrets", kind: "secret", title: "Secrets Manager", lines: names, parent: region });
    for (const t of secretTasks) d.edge(sm, partId(isJob(plan.jobs, t) ? "job" : "service", t.name), "secret");
  }
  if (plan.jobs.some((j) => j.schedule)) {
    const scheduler = d.node({ id: "scheduler", kind: "scheduler", title: "EventBridge Scheduler", lines: [], parent: region });
    for (const j of plan.jobs) if (j.schedule) d.edge(scheduler, partId("job", j.name), "call");
  }
  if (plan.alarms.length)
    d.node({ id: "alarms", kind: "alarm", title: "CloudWatch", lines: [w.t("aws.alarms", { count: plan.alarms.length })], parent: region });
  addFlows(d, stack, plan.routes, rules);
  for (const task of [...plan.services, ...plan.jobs])
    for (const g of task.grants) d.edge(partId(isJob(plan.jobs, task) ? "job" : "service", task.name), partId("resource", g), "data", "IAM");
  d.notes.push(...warnings.map((n) => w.t("diagram.note", { part: n.part, message: n.message, instead: n.instead })));
  return d.build("aws", w.t("diagram.title.aws", { stack: stack.name, env: stack.environment.name }));
}

const isJob = (jobs: readonly PlanTask[], task: PlanTask) => jobs.some((j) => j.name === task.name);

/** Arrows for the security-group rules between groups: what may reach what, on which port. */
function addFlows(d: DiagramBuilder, stack: Stack, routes: readonly PlanRoute[], rules: readonly AwsRule[]): void {
  const jobs = new Set(stack.jobs.map((j) => j.name));
  const idOf = (name: string) =>
    name === LOAD_BALANCER
      ? LOAD_BALANCER
      : jobs.has(name)
        ? partId("job", name)
        : d.has(partId("service", name))
          ? partId("service", name)
          : partId("resource", name);
  for (const rule of rules) {
    if (rule.source.kind !== "group") continue;
    let label = `${rule.port}/tcp`;
    if (rule.purpose === "load-balancer") {
      const own = routes.filter((r) => r.service === rule.group).map((r) => `${r.host ?? ""}${r.paths[0] ?? "/"}`);
      label = own.length ? own.join(", ") : label;
    }
    d.edge(idOf(rule.source.name), idOf(rule.group), rule.purpose === "call" ? "call" : rule.purpose === "load-balancer" ? "traffic" : "data", label);
  }
}
