import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exampleStack, repoRoot, stackFrom } from "../test-support/index.js";
import { priceBook, readCatalog } from "./catalog.js";
import { estimate, unaccounted } from "./estimate.js";
import type { CatalogFile, OptionCost } from "./types.js";

const read = readCatalog(JSON.parse(readFileSync(`${repoRoot}catalog/aws-prices.json`, "utf8")));
if ("errors" in read) throw new Error(read.errors.join("; "));
const catalog: CatalogFile = read.catalog;
const book = priceBook(catalog);

function line(cost: OptionCost, service: string, item: string | RegExp) {
  const found = cost.lines.find((l) => l.service === service && (typeof item === "string" ? l.item.includes(item) : item.test(l.item)));
  if (!found)
    throw new Error(`no ${service} line "${item}" in ${cost.environment}/${cost.option}: ${cost.lines.map((l) => `${l.service} ${l.item}`).join(" | ")}`);
  return found;
}

describe("amounts computed by hand from the catalog", async () => {
  const mangetamain = estimate(await exampleStack("mangetamain", "production"), "vm", book);
  const production = estimate(await exampleStack("forestguard", "production"), "aws", book);
  const scaleUp = estimate(await exampleStack("forestguard", "scale-up"), "aws", book);
  const cityflowAws = estimate(await exampleStack("cityflow", "mvp"), "aws", book);
  const cityflowLarge = estimate(await exampleStack("cityflow", "recommended"), "vm", book);
  const harena = estimate(await exampleStack("harena", "fargate"), "aws", book);

  it("EC2 t3.medium in eu-west-3: 0.0472 $/h x 730 h = 34.456", () => {
    expect(line(mangetamain, "EC2", "t3.medium").monthly).toBe(34.46);
  });
  it("EC2 t3.large in eu-west-3: 0.0944 x 730 = 68.912", () => expect(line(cityflowLarge, "EC2", "t3.large").monthly).toBe(68.91));
  it("EBS gp3 20 GB in eu-west-3: 20 x 0.0928 = 1.856", () => expect(line(mangetamain, "EBS", "gp3").monthly).toBe(1.86));
  it("one public IPv4 for 730 h: 730 x 0.005 = 3.65", () => expect(line(mangetamain, "Public IPv4", "address").monthly).toBe(3.65));
  it("data out 10 GB: 10 x 0.09 = 0.90", () => expect(line(mangetamain, "Data transfer", "internet").monthly).toBe(0.9));
  it("RDS db.t3.medium Multi-AZ in us-east-1: 0.145 x 730 = 105.85", () =>
    expect(line(production, "RDS PostgreSQL", "db.t3.medium Multi-AZ").monthly).toBe(105.85));
  it("RDS read replica db.t3.medium Single-AZ: 0.072 x 730 = 52.56", () => expect(line(production, "RDS PostgreSQL", "read replica").monthly).toBe(52.56));
  it("RDS 100 GB gp3 Multi-AZ: 100 x 0.23 = 23.00", () => expect(line(production, "RDS PostgreSQL", "100 GB gp3 Multi-AZ").monthly).toBe(23));
  it("ElastiCache 2 x cache.t3.medium in us-east-1: 2 x 730 x 0.068 = 99.28", () =>
    expect(line(production, "ElastiCache", "cache.t3.medium").monthly).toBe(99.28));
  it("Fargate 3 tasks x 1 vCPU in us-east-1: 2,190 x 0.04048 = 88.6512", () => expect(line(production, "Fargate", "vCPU").monthly).toBe(88.65));
  it("Fargate 3 tasks x 2 GB: 4,380 x 0.004445 = 19.4691", () => expect(line(production, "Fargate", "memory").monthly).toBe(19.47));
  it("Fargate 0.5 vCPU task in eu-west-3: 365 x 0.0486 = 17.739", () => expect(line(harena, "Fargate", "user-service, 1 task: vCPU").monthly).toBe(17.74));
  it("ALB hours in us-east-1: 730 x 0.0225 = 16.425", () => expect(line(production, "ALB", "load balancer").monthly).toBe(16.43));
  it("NAT gateway in eu-west-3: 730 x 0.05 = 36.50", () => expect(line(cityflowAws, "NAT gateway", "one gateway").monthly).toBe(36.5));
  it("DynamoDB 2M reads in eu-west-3: 2,000,000 x 0.0000001487 = 0.2974", () => expect(line(cityflowAws, "DynamoDB", "read").monthly).toBe(0.3));
  it("CloudWatch 5 GB of logs in eu-west-3: 5 x 0.5985 = 2.9925", () => expect(line(cityflowAws, "CloudWatch", "log ingestion").monthly).toBe(2.99));
  it("Secrets Manager, 4 secrets: 4 x 0.40 = 1.60", () => expect(line(harena, "Secrets Manager", "secrets").monthly).toBe(1.6));
  it("CloudFront 5 TB: 1,024 GB free, then 3,976 x 0.085 = 337.96", () => {
    expect(line(scaleUp, "CloudFront", "always-free").monthly).toBe(0);
    expect(line(scaleUp, "CloudFront", "beyond").monthly).toBe(337.96);
  });
  it("WAF: 5 per web ACL, 4 rules x 1, 10M requests x 0.0000006", () => {
    expect(line(production, "WAF", "web ACL").monthly).toBe(5);
    expect(line(production, "WAF", "rules").monthly).toBe(4);
    expect(line(production, "WAF", "requests").monthly).toBe(6);
  });
  it("a total is the sum of its lines", () => {
    expect(mangetamain.total).toBe(34.46 + 1.86 + 3.65 + 0.9);
  });
});

describe("secondary indexes of a table", () => {
  const stack = stackFrom(
    `
name: s
resources:
  events:
    type: table
    key: { hash: id }
    indexes:
      by-kind: { hash: kind }
      by-day: { hash: day, projection: keys }
environments:
  prod: { target: aws, region: eu-west-3, usage: { table_writes: 1000000, table_storage: 10GB } }
`,
    "prod",
  );
  const cost = estimate(stack, "aws", book);
  it("adds a write per index for every table write, priced as write request units", () => {
    const writes = line(cost, "DynamoDB", "index write request units");
    expect(writes.quantity).toBe(2_000_000);
    expect(writes.monthly).toBeCloseTo(2 * line(cost, "DynamoDB", /^write request units/).monthly, 2);
  });
  it("stores a copy of the table for an index projecting all attributes only", () => {
    const storage = line(cost, "DynamoDB", "index storage");
    expect(storage.quantity).toBe(line(cost, "DynamoDB", "table storage").quantity);
    expect(storage.note).toContain("1 index projecting all attributes");
  });
});

describe("choices Cairn makes, and says", () => {
  const base = `
name: s
services:
  web: { run: x, port: 3000, size: { cpu: 0.5, memory: 1Gi }, replicas: 2 }
routes: [{ path: /, to: web }]
resources:
  db: { type: postgres }
environments:
  prod: { target: vm, region: eu-west-1, compare: [aws] }
`;
  it("chooses the smallest t3 that fits, with headroom, and says so", () => {
    const cost = estimate(stackFrom(base, "prod"), "vm", book);
    // 1 vCPU asked; memory 2 GiB for the web + 1 GiB for the database on the machine = 3 GiB x 1.25 + 0.5 > 4 GiB: t3.large.
    expect(line(cost, "EC2", "t3.large").monthly).toBe(66.58); // 0.0912 x 730 = 66.576
    expect(cost.assumptions.join("\n")).toMatch(/Instance t3.large chosen: the smallest t3 that holds 1 vCPU and 3 GiB asked/);
  });
  it("places the database again for a compared option, and says so", () => {
    const stack = stackFrom(base, "prod");
    expect(stack.resources[0]?.placement).toBe("self");
    const cost = estimate(stack, "aws", book);
    expect(line(cost, "RDS PostgreSQL", "db.t3.small Single-AZ").monthly).toBe(28.47); // 0.039 x 730 = 28.47
    expect(cost.assumptions.join("\n")).toMatch(/db: a managed service on aws \(the file places it self on vm/);
    expect(cost.assumptions.join("\n")).toMatch(/no instance class in the file; priced as db.t3.small/);
  });
  it("keeps an explicit managed: true on every option", () => {
    const stack = stackFrom(base.replace("{ type: postgres }", "{ type: postgres, managed: true }"), "prod");
    expect(line(estimate(stack, "vm", book), "RDS PostgreSQL", "db.t3.small").monthly).toBe(28.47);
  });
  it("prices a scheduled job by runs x its timeout on Fargate, and states it", async () => {
    const cost = estimate(await exampleStack("cityflow", "mvp"), "aws", book);
    // daily: 30.44 runs x 0.5 h x 1 vCPU x 0.0486 = 0.7397
    expect(line(cost, "Fargate", "processor, 30.44 runs x 30 min: vCPU").monthly).toBe(0.74);
    expect(cost.assumptions.join("\n")).toMatch(/processor: 30.44 runs a month, each priced at its timeout \(30 min\), an upper bound/);
  });
  it("a price the catalog lacks is reported missing, never zero", () => {
    const stack = stackFrom(base.replace("region: eu-west-1", "region: ap-south-1"), "prod");
    const cost = estimate(stack, "vm", book);
    expect(cost.missing).toContainEqual({
      service: "ec2",
      sku: "t3.large",
      region: "ap-south-1",
      component: "service:web",
      line: "EC2: 1 x t3.large (systemd: every process, db)",
    });
    expect(cost.lines.some((l) => l.service === "EC2")).toBe(false);
  });
  it("prices the EKS control plane from the catalog; a catalog without it marks only that option incomplete", async () => {
    const stack = await exampleStack("forestguard", "production");
    const cost = estimate(stack, "k8s", book);
    expect(cost.missing).toEqual([]);
    expect(line(cost, "EKS", "control plane").monthly).toBe(73); // $0.10 per cluster-hour x 730
    const withoutEks = priceBook({ ...catalog, prices: catalog.prices.filter((p) => p.service !== "eks") });
    expect(estimate(stack, "k8s", withoutEks).missing).toEqual([
      { service: "eks", sku: "cluster (standard support)", region: "us-east-1", component: "edge", line: "EKS: control plane" },
    ]);
    expect(estimate(stack, "aws", withoutEks).missing).toEqual([]);
  });
  it("an extra cost in EUR needs a rate", () => {
    const text = `${base}extra_costs: [{ name: Plan, monthly: 46, currency: EUR }]\n`;
    expect(() => estimate(stackFrom(text, "prod"), "vm", book)).toThrow(/in EUR and no exchange rate/);
    expect(line(estimate(stackFrom(text, "prod"), "vm", book, { rate: 0.92 }), "Plan", "plan").monthly).toBe(50); // 46 / 0.92
  });
  it("accounts for every component of every example on every option", async () => {
    for (const name of ["minimal", "mangetamain", "cityflow", "harena", "forestguard"] as const) {
      for (const env of (await exampleStack(name)).environments) {
        const stack = await exampleStack(name, env);
        for (const option of ["local", "vm", "compose", "aws", "k8s"] as const) {
          expect(unaccounted(stack, estimate(stack, option, book, { rate: 0.92 })), `${name}/${env}/${option}`).toEqual([]);
        }
      }
    }
  });
});

describe("the local option", () => {
  it("costs nothing in the cloud, but an external service stays external", async () => {
    const cost = estimate(await exampleStack("harena", "local"), "local", book);
    expect(cost.total).toBe(0);
    expect(cost.notPriced).toContainEqual({
      component: "resource:db",
      reason: "external: billed by its own provider (add it under extra_costs to include it)",
    });
    expect(cost.notPriced).toContainEqual({ component: "service:user-service", reason: "runs on this machine (cairn up): no cloud cost" });
  });
});

describe("part-time machines", () => {
  it("usage.hours scales hourly lines; the Elastic IP is billed all month", () => {
    const stack = stackFrom(
      `
name: s
services: { web: { run: x, port: 3000 } }
environments:
  night-off: { target: vm, region: eu-west-3, instance: t3.medium, usage: { hours: 365 } }
`,
      "night-off",
    );
    const cost = estimate(stack, "vm", book);
    expect(line(cost, "EC2", "t3.medium").monthly).toBe(17.23); // 0.0472 x 365 = 17.228
    expect(line(cost, "Public IPv4", "address").monthly).toBe(3.65); // 0.005 x 730
    expect(line(cost, "Public IPv4", "address").note).toMatch(/billed while the instance is stopped/);
  });
});

describe("purity", () => {
  it("src/cost imports nothing that touches the disk, the network or processes", async () => {
    const { readdirSync } = await import("node:fs");
    const dir = `${repoRoot}src/cost/`;
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".ts") && !x.endsWith(".test.ts"))) {
      const text = readFileSync(dir + f, "utf8");
      expect(text, f).not.toMatch(/from "(node:|fs|http|child_process|net)/);
      expect(text, f).not.toMatch(/\bprocess\.|console\./);
    }
  });
});

describe("k8s worker nodes", () => {
  it("fits the pods on the cheapest set of at least two nodes, or counts nodes of the type given", async () => {
    const withEks = priceBook(catalog, [
      { service: "eks", sku: "cluster (standard support)", region: "us-east-1", unit: "hour", usd: 0.1, source: "test", source_date: "2025-01-01" },
    ]);
    const stack = await exampleStack("forestguard", "scale-up");
    // 10 pods x 2 vCPU / 4 GiB + in-cluster db (1 GiB) and cache (3 GB = 2.79 GiB): 20 vCPU, 43.79 GiB, x 1.25.
    // t3.medium: max(ceil(25 / 1.9), ceil(54.74 / 3.2)) = 18 nodes, 0.7488 $/h; t3.large 14 (1.1648); t3.xlarge 7 (1.1648).
    const cost = estimate(stack, "k8s", withEks);
    expect(line(cost, "EC2", "worker nodes").item).toBe("18 x t3.medium worker nodes");
    expect(line(cost, "EC2", "worker nodes").monthly).toBe(546.62); // 18 x 730 x 0.0416 = 546.624
    const given = estimate({ ...stack, environment: { ...stack.environment, instance: "r5.xlarge" } }, "k8s", withEks);
    // r5.xlarge: max(ceil(25 / 3.9), ceil(54.74 / 25.6)) = 7
    expect(line(given, "EC2", "worker nodes").item).toBe("7 x r5.xlarge worker nodes");
  });
});
