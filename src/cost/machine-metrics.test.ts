/**
 * What a machine sends to CloudWatch, priced from the facts its files are generated from: the agent's
 * custom metrics are the ones its generated configuration collects, one each per instance; the edge's
 * are the metric filters of the EC2 machine's template; its metrics log is one line per request, of
 * the size nginx's format writes. Only a stack whose machine runs the agent or an edge alarm pays.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { awsTarget } from "../targets/aws/index.js";
import { EDGE_LOG_FORMAT, EDGE_LOG_LINE_BYTES } from "../targets/common/machine-telemetry.js";
import { COMPOSE_LOGS, COMPOSE_NO_ALARMS } from "../targets/common/notes.js";
import { composeTarget } from "../targets/compose/index.js";
import { vmTarget } from "../targets/vm/index.js";
import { exampleStack, repoRoot, stackFrom } from "../test-support/index.js";
import { priceBook, readCatalog } from "./catalog.js";
import { estimate, unaccounted } from "./estimate.js";
import type { OptionCost } from "./types.js";

const read = readCatalog(JSON.parse(readFileSync(`${repoRoot}catalog/aws-prices.json`, "utf8")));
if ("errors" in read) throw new Error(read.errors.join("; "));
const book = priceBook(read.catalog);

const cloudWatch = (cost: OptionCost) => cost.lines.filter((l) => l.service === "CloudWatch");
const customMetrics = (cost: OptionCost) => cloudWatch(cost).filter((l) => l.unit === "metric-month");

/** The metrics the generated agent configuration collects, as CloudWatch names them. */
function collected(stack: Parameters<typeof vmTarget.generate>[0]): string[] {
  const file = vmTarget.generate(stack, {}).files.find((f) => f.path === "cloudwatch/amazon-cloudwatch-agent.json");
  if (!file) return [];
  const spec = JSON.parse(file.content).metrics.metrics_collected as Record<string, { measurement: string[] }>;
  return Object.entries(spec).flatMap(([plugin, s]) => s.measurement.map((m) => (m.startsWith(`${plugin}_`) ? m : `${plugin}_${m}`)));
}

/** The EC2 template's resources of one type. */
function resources(stack: Parameters<typeof awsTarget.generate>[0], type: string): Record<string, unknown>[] {
  const file = awsTarget.generate(stack, {}).files.find((f) => /^cloudformation\/.*\.template\.json$/.test(f.path));
  const template = JSON.parse(file?.content ?? "{}") as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  return Object.values(template.Resources)
    .filter((r) => r.Type === type)
    .map((r) => r.Properties);
}

describe("a machine's CloudWatch metrics and edge log, priced", () => {
  it("CityFlow mvp: the agent's metrics are those its configuration collects, 0.30 each in eu-west-3", async () => {
    const stack = await exampleStack("cityflow", "mvp");
    const names = collected(stack);
    expect(names).toEqual(["cpu_usage_active", "mem_used_percent", "disk_used_percent"]);
    const agent = customMetrics(estimate(stack, "vm", book)).find((l) => l.item.includes(names[0] ?? "?"));
    expect(agent?.item).toBe(`${names.length} custom metrics (${names.join(", ")})`);
    expect(agent?.quantity).toBe(names.length * stack.environment.instances);
    expect(agent?.monthly).toBe(0.9);
    // It runs for the logs, and for the error-rate alarm's edge log.
    const errorRate = stack.alarms.find((a) => a.metric === "error_rate");
    expect(agent?.components).toEqual(["logs", `alarm:${errorRate?.source}`]);
  });

  it("CityFlow mvp: the edge's metrics are the template's metric filters, its log the template's log group", async () => {
    const stack = await exampleStack("cityflow", "mvp");
    const cost = estimate(stack, "vm", book);
    const filters = resources(stack, "AWS::Logs::MetricFilter").map((p) => (p.MetricTransformations as { MetricName: string }[])[0]?.MetricName);
    expect(filters).toHaveLength(3);
    const edge = customMetrics(cost).find((l) => l.item.includes("Requests"));
    expect(edge?.item).toBe(`${filters.length} custom metrics (${filters.join(", ")})`);
    expect(edge?.monthly).toBe(0.9);
    const groups = resources(stack, "AWS::Logs::LogGroup").map((p) => p.LogGroupName);
    expect(groups).toContain("/cityflow/_edge");
    // 1,000,000 requests (the default) x 35 bytes = 0.035 GB at 0.5985 $/GB.
    const ingestion = cloudWatch(cost).find((l) => l.item === "log ingestion (/cityflow/_edge)");
    expect(ingestion?.quantity).toBeCloseTo(0.035, 10);
    expect(ingestion?.monthly).toBe(0.02);
    expect(unaccounted(stack, cost)).toEqual([]);
  });

  it("one line of the edge's log is the size nginx writes with its format", () => {
    const site = vmTarget
      .generate(
        stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 } }
routes: [{ path: /, to: web }]
alarms: [ "p95 > 2s for 5m" ]
environments: { prod: { target: vm } }
`),
        {},
      )
      .files.find((f) => f.path.startsWith("nginx/"));
    expect(site?.content).toContain(`escape=json '${EDGE_LOG_FORMAT}';`);
    expect(EDGE_LOG_LINE_BYTES).toBe(Buffer.byteLength('{"status":200,"request_time":0.012}'));
  });

  const twoMachines = stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 } }
routes: [{ path: /, to: web }]
alarms: [ "memory > 80% for 5m", "p95 > 2s for 5m" ]
environments: { prod: { target: vm, instances: 2, region: us-east-1, usage: { requests: 20000000 } } }
`);

  it("per instance: two machines publish the agent's metrics twice; the edge's log grows with the requests", () => {
    const cost = estimate(twoMachines, "vm", book);
    const agent = customMetrics(cost).find((l) => l.item.includes("mem_used_percent"));
    expect(agent?.quantity).toBe(6);
    expect(agent?.monthly).toBe(1.8);
    expect(agent?.note).toBe("the CloudWatch agent's, 3 on each of 2 instances; its PutMetricData requests are not in the catalog");
    // 20,000,000 x 35 bytes = 0.7 GB at 0.50 $/GB in us-east-1.
    const ingestion = cloudWatch(cost).find((l) => l.item === "log ingestion (/shop/_edge)");
    expect(ingestion?.quantity).toBeCloseTo(0.7, 10);
    expect(ingestion?.monthly).toBe(0.35);
    expect(unaccounted(twoMachines, cost)).toEqual([]);
  });

  it("prices as many alarms as the EC2 machine's template makes: memory on each of two instances, the edge's once", () => {
    const made = resources(twoMachines, "AWS::CloudWatch::Alarm");
    expect(made).toHaveLength(3);
    const [line] = cloudWatch(estimate(twoMachines, "vm", book)).filter((l) => l.unit === "alarm-month");
    expect(line?.quantity).toBe(made.length);
    expect(line?.note).toBe("cpu and memory alarms on each of 2 instances");
  });

  it("prices as many alarms as the aws target's template makes (ForestGuard production)", async () => {
    const stack = await exampleStack("forestguard", "production");
    const made = resources(stack, "AWS::CloudWatch::Alarm");
    expect(made.length).toBeGreaterThan(0);
    const [line] = cloudWatch(estimate(stack, "aws", book)).filter((l) => l.unit === "alarm-month");
    expect(line?.quantity).toBe(made.length);
  });

  it("compose generates no agent, edge log, alarm or CloudWatch log, says so, and is priced without them; aws and k8s publish no custom metrics", () => {
    const logged = stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 } }
routes: [{ path: /, to: web }]
logs: { destination: cloudwatch }
alarms: [ "memory > 80% for 5m", "p95 > 2s for 5m" ]
environments: { prod: { target: compose, instances: 2, region: us-east-1 } }
`);
    const cost = estimate(logged, "compose", book);
    expect(cloudWatch(cost)).toEqual([]);
    expect(unaccounted(logged, cost)).toEqual([]);
    const notes = composeTarget.generate(logged, {}).warnings.map((w) => `${w.part}: ${w.message}`);
    expect(notes).toEqual(expect.arrayContaining([`alarms.memory > 80% for 5m: ${COMPOSE_NO_ALARMS}`, `logs.destination: ${COMPOSE_LOGS}, not CloudWatch`]));
    expect(customMetrics(estimate(twoMachines, "aws", book))).toEqual([]);
    expect(customMetrics(estimate(twoMachines, "k8s", book))).toEqual([]);
  });

  it("no agent, no edge alarm: no custom metrics and no edge log, and the vm target writes no agent file", () => {
    const stack = stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 } }
routes: [{ path: /, to: web }]
alarms: [ "cpu > 80% for 5m" ]
environments: { prod: { target: vm } }
`);
    expect(collected(stack)).toEqual([]);
    const cost = estimate(stack, "vm", book);
    expect(customMetrics(cost)).toEqual([]);
    expect(cloudWatch(cost).map((l) => l.item)).toEqual(["1 alarms"]);
  });
});
