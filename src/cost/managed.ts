/** Managed data services (RDS, ElastiCache, S3, DynamoDB), and what each other placement means. Pure. */
import type { Postgres, Redis, Resource } from "../model/types.js";
import { fmt, type PricingContext, resourceId } from "./context.js";
import { gb } from "./lines.js";
import { cacheNodeFor } from "./sizing.js";

/** Class priced for a database that names none. */
export const DEFAULT_DB_CLASS = "db.t3.small";

function postgres(ctx: PricingContext, r: Postgres): void {
  const c = [resourceId(r.name)];
  const cls = r.instance ?? DEFAULT_DB_CLASS;
  if (!r.instance) ctx.bill.assume(`${r.name}: no instance class in the file; priced as ${DEFAULT_DB_CLASS}.`);
  const az = r.ha ? "Multi-AZ" : "Single-AZ";
  const storage = gb(r.storageBytes);
  ctx.bill.add({
    components: c,
    service: "RDS PostgreSQL",
    item: `${r.name}: ${cls} ${az}`,
    price: { service: "rds-postgresql", sku: `${cls} ${az}`, region: ctx.region },
    quantity: ctx.hours,
    unit: "instance-hours",
    note: r.ha ? "Multi-AZ: a standby in a second zone" : null,
  });
  ctx.bill.add({
    components: c,
    service: "RDS PostgreSQL",
    item: `${r.name}: ${fmt(storage)} GB gp3 ${az}`,
    price: { service: "rds-storage", sku: `gp3 storage ${az}`, region: ctx.region },
    quantity: storage,
  });
  if (r.replicas > 0) {
    const n = r.replicas;
    ctx.bill.add({
      components: c,
      service: "RDS PostgreSQL",
      item: `${r.name}: ${n} read replica${n > 1 ? "s" : ""} ${cls}`,
      price: { service: "rds-postgresql", sku: `${cls} Single-AZ`, region: ctx.region },
      quantity: ctx.hours * n,
      unit: "instance-hours",
      note: "each replica is its own Single-AZ instance",
    });
    ctx.bill.add({
      components: c,
      service: "RDS PostgreSQL",
      item: `${r.name}: replica storage ${n} x ${fmt(storage)} GB`,
      price: { service: "rds-storage", sku: "gp3 storage Single-AZ", region: ctx.region },
      quantity: storage * n,
    });
  }
  if (r.backups) {
    ctx.bill.skip(
      c[0] ?? r.name,
      "backups: within RDS's free backup storage (equal to the provisioned storage, per AWS's RDS pricing page; the allowance is not in the catalog); beyond it $0.095-0.10/GB-month",
    );
  }
}

function redis(ctx: PricingContext, r: Redis): void {
  const node = r.instance ?? cacheNodeFor(r.memoryBytes);
  if (!r.instance)
    ctx.bill.assume(
      `${r.name}: no node class in the file; ${node} is the smallest that holds ${r.memoryBytes ? `${fmt(r.memoryBytes / 1024 ** 3)} GiB` : "a small cache"}.`,
    );
  const nodes = 1 + r.replicas;
  ctx.bill.add({
    components: [resourceId(r.name)],
    service: "ElastiCache",
    item: `${r.name}: ${nodes} x ${node} (Redis OSS)`,
    price: { service: "elasticache-redis-oss", sku: node, region: ctx.region },
    quantity: nodes * ctx.hours,
    unit: "node-hours",
    note: r.replicas
      ? `primary + ${r.replicas} replica${r.replicas > 1 ? "s" : ""}, each a node; Valkey nodes cost 20% less`
      : "one node, no replica; Valkey nodes cost 20% less",
  });
}

/** S3 for managed buckets and static sites together: storage and requests from the usage. */
function objectStorage(ctx: PricingContext, list: readonly Resource[]): void {
  if (list.length === 0) return;
  const c = list.map((r) => resourceId(r.name));
  const usage = ctx.stack.environment.usage;
  const names = list.map((r) => r.name).join(", ");
  const tiers = list.some((r) => r.type === "bucket" && r.lifecycle.some((l) => l.to !== "delete"));
  ctx.bill.add({
    components: c,
    service: "S3",
    item: `storage (${names})`,
    price: { service: "s3", sku: "standard-storage first 50 TB", region: ctx.region },
    quantity: gb(usage.storageBytes),
    note: tiers ? "all priced as Standard: colder classes are not in the catalog (an upper bound)" : null,
  });
  const gets = Math.round(usage.requests / 10);
  const puts = Math.round(usage.requests / 100);
  ctx.bill.add({
    components: c,
    service: "S3",
    item: "GET requests",
    price: { service: "s3", sku: "GET and all other requests (Standard)", region: ctx.region },
    quantity: gets,
  });
  ctx.bill.add({
    components: c,
    service: "S3",
    item: "PUT/LIST requests",
    price: { service: "s3", sku: "PUT/COPY/POST/LIST request (Standard)", region: ctx.region },
    quantity: puts,
  });
  ctx.bill.assume(`S3: ${fmt(gb(usage.storageBytes))} GB stored across ${names}; requests assumed as one GET per 10 and one PUT per 100 edge requests.`);
}

function tables(ctx: PricingContext, list: readonly Resource[]): void {
  if (list.length === 0) return;
  const c = list.map((r) => resourceId(r.name));
  const u = ctx.stack.environment.usage;
  const names = list.map((r) => r.name).join(", ");
  const note = `on-demand, at the usage in the file, across ${names}`;
  ctx.bill.add({
    components: c,
    service: "DynamoDB",
    item: "read request units",
    price: { service: "dynamodb", sku: "on-demand read request unit", region: ctx.region },
    quantity: u.tableReads,
    note,
  });
  ctx.bill.add({
    components: c,
    service: "DynamoDB",
    item: "write request units",
    price: { service: "dynamodb", sku: "on-demand write request unit", region: ctx.region },
    quantity: u.tableWrites,
    note,
  });
  ctx.bill.add({
    components: c,
    service: "DynamoDB",
    item: "table storage",
    price: { service: "dynamodb", sku: "standard table storage", region: ctx.region },
    quantity: gb(u.tableStorageBytes),
    note,
  });
  tableIndexes(ctx, list);
  for (const t of list) if (t.type === "table" && t.backups) ctx.bill.skip(resourceId(t.name), "on-demand backups: not in the catalog");
}

/**
 * Secondary indexes: a write to the table also writes each index it touches, billed as write request units,
 * and an index keeps its own copy of the projected attributes. Assumed: every write updates every index
 * (the upper bound); an index projecting all attributes stores as much as its table, one projecting keys
 * or a list of attributes is not counted.
 */
function tableIndexes(ctx: PricingContext, list: readonly Resource[]): void {
  const tables = list.filter((r) => r.type === "table");
  const indexes = tables.flatMap((t) => t.indexes.map((i) => ({ table: t.name, index: i })));
  if (indexes.length === 0) return;
  const u = ctx.stack.environment.usage;
  const components = [...new Set(indexes.map((i) => resourceId(i.table)))];
  const names = indexes.map((i) => `${i.table}.${i.index.name}`).join(", ");
  ctx.bill.add({
    components,
    service: "DynamoDB",
    item: "index write request units",
    price: { service: "dynamodb", sku: "on-demand write request unit", region: ctx.region },
    quantity: u.tableWrites * indexes.length,
    note: `${indexes.length} secondary index${indexes.length === 1 ? "" : "es"} (${names}), each write assumed to update every index`,
  });
  const full = indexes.filter((i) => i.index.projection === "all").length;
  if (full === 0) return;
  ctx.bill.add({
    components,
    service: "DynamoDB",
    item: "index storage",
    price: { service: "dynamodb", sku: "standard table storage", region: ctx.region },
    quantity: gb(u.tableStorageBytes) * full,
    note: `${full} index${full === 1 ? "" : "es"} projecting all attributes, each as large as its table; key-only and listed projections not counted`,
  });
}

/** Where a resource is not a managed service: why it adds no line of its own. */
function unmanagedReason(ctx: PricingContext, r: Resource): string {
  const placement = ctx.placements.get(r.name);
  if (placement === "external") return "external: billed by its own provider (add it under extra_costs to include it)";
  if (placement === "local") return "runs on this machine (cairn up): no cloud cost";
  return "self-hosted on aws: would run as a task beside the services (not priced; set managed: true)";
}

/** Lines for every resource placed as a managed service; every other one is listed with its reason. */
export function managedResources(ctx: PricingContext): void {
  const managed = ctx.stack.resources.filter((r) => ctx.placements.get(r.name) === "managed");
  for (const r of ctx.stack.resources) {
    const p = ctx.placements.get(r.name);
    // "self" on a machine or a cluster is counted in the machine's or nodes' line instead.
    if (p === "external" || p === "local" || (p === "self" && ctx.option === "aws")) ctx.bill.skip(resourceId(r.name), unmanagedReason(ctx, r));
  }
  for (const r of managed) {
    if (r.type === "postgres") postgres(ctx, r);
    if (r.type === "redis") redis(ctx, r);
  }
  objectStorage(
    ctx,
    managed.filter((r) => r.type === "bucket" || r.type === "static"),
  );
  tables(
    ctx,
    managed.filter((r) => r.type === "table"),
  );
}
