/**
 * `cairn cost` prices what the machine's app creates: for every vm environment of the examples and
 * a few more, the instance type and count, the disk, the addresses, the managed databases, caches,
 * tables, buckets and log ingestion of the bill are those of the plan.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { priceBook, readCatalog } from "../../cost/catalog.js";
import { estimate } from "../../cost/estimate.js";
import type { OptionCost } from "../../cost/types.js";
import type { Stack } from "../../model/types.js";
import { exampleNames, loadExample, repoRoot, stackFrom } from "../../test-support/index.js";
import { planEc2 } from "./ec2-plan.js";

const read = readCatalog(JSON.parse(readFileSync(`${repoRoot}catalog/aws-prices.json`, "utf8")));
if ("errors" in read) throw new Error(read.errors.join("; "));
const book = priceBook(read.catalog);

const lines = (cost: OptionCost, service: string) => cost.lines.filter((l) => l.service === service);

function agree(stack: Stack): void {
  const { plan } = planEc2(stack);
  const cost = estimate(stack, "vm", book);
  const hours = stack.environment.usage.hours;
  const where = `${stack.name}/${stack.environment.name}`;
  const [ec2] = lines(cost, "EC2");
  expect(ec2?.sku?.sku, where).toBe(plan.instance.type);
  expect(ec2?.quantity, where).toBe(plan.instance.count * hours);
  const [ebs] = lines(cost, "EBS");
  expect(Math.ceil((ebs?.quantity ?? 0) / plan.instance.count), where).toBe(plan.instance.diskGb);
  expect(ebs?.sku?.sku, where).toBe("gp3 storage");
  const [ipv4] = lines(cost, "Public IPv4");
  expect((ipv4?.quantity ?? 0) / Math.max(hours, 730), where).toBe(plan.instance.count);
  const rds = lines(cost, "RDS PostgreSQL").filter((l) => l.unit === "instance-hours" && !l.item.includes("replica"));
  expect(rds.map((l) => l.sku?.sku).sort(), where).toEqual(plan.databases.map((d) => `${d.instanceType} ${d.multiAz ? "Multi-AZ" : "Single-AZ"}`).sort());
  const cache = lines(cost, "ElastiCache");
  expect(cache.map((l) => [l.sku?.sku, l.quantity / hours]).sort(), where).toEqual(plan.caches.map((c) => [c.nodeType, 1 + c.replicas]).sort());
  expect(lines(cost, "DynamoDB").length > 0, where).toBe(plan.tables.length > 0);
  expect(lines(cost, "S3").length > 0, where).toBe(plan.buckets.length > 0);
  // Two log ingestions, as the plan has two kinds of log group: the processes' and the edge's metrics log.
  const ingestion = lines(cost, "CloudWatch").filter((l) => l.item.startsWith("log ingestion"));
  const edge = ingestion.filter((l) => l.components.includes("edge"));
  expect(ingestion.length - edge.length > 0, where).toBe(plan.logs?.groups.some((g) => g.process !== null) ?? false);
  expect(edge.length > 0, where).toBe(plan.logs?.groups.some((g) => g.process === null) ?? false);
}

describe("cost and the machine's app agree", () => {
  it("on every vm environment of the examples", async () => {
    let checked = 0;
    for (const name of exampleNames)
      for (const stack of (await loadExample(name)).values())
        if (stack.environment.target === "vm") {
          agree(stack);
          checked++;
        }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it("when the file names no instance type (both choose the same), and with several machines, a managed cache and database", () => {
    const stack = stackFrom(`
name: shop
services:
  web: { run: node web.mjs, port: 3000, size: { cpu: 1, memory: 3Gi }, replicas: 2 }
resources:
  db: { type: postgres, managed: true, ha: true, storage: 50GB }
  cache: { type: redis, managed: true, memory: 2GB, replicas: 1 }
  files: { type: bucket }
environments:
  prod: { target: vm, region: eu-west-3, instances: 2, disk: 40GB }
`);
    const { plan, warnings } = planEc2(stack);
    expect(plan.instance.type).toBe("t3.large");
    expect(warnings.map((w) => w.instead)).toContain("t3.large, as `cairn cost` chose it");
    expect(plan.databases.map((d) => [d.instanceType, d.multiAz])).toEqual([["db.t3.small", true]]);
    expect(plan.caches.map((c) => c.nodeType)).toEqual(["cache.t3.medium"]);
    agree(stack);
  });
});
