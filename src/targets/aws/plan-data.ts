/** Data resources in the plan: RDS, ElastiCache, S3 and DynamoDB settings from the stack file. */

import type { Bucket, Postgres, Redis, Stack, StaticSite, Table } from "../../model/types.js";
import { physicalName } from "../../model/variables.js";
import { dailyWindow, weeklyWindow, windowsOverlap } from "../../model/windows.js";
import type { TargetNote } from "../types.js";
import type { PlanBucket, PlanCache, PlanDatabase, PlanTable } from "./cdk/plan-types.js";
import { pascal } from "./plan-tasks.js";

const DAY = 86_400_000;
const days = (ms: number) => Math.ceil(ms / DAY);

/** Extensions RDS loads only through `shared_preload_libraries`. */
const PRELOAD = new Set(["pg_cron", "pgaudit", "pg_hint_plan", "auto_explain", "pg_partman_bgw"]);

/** RDS and ElastiCache windows from `backups.schedule` and `maintenance`, with a note where one cannot be kept. */
function windows(resource: Postgres | Redis, service: "RDS" | "ElastiCache", warnings: TargetNote[], errors: TargetNote[]) {
  const shortest = service === "RDS" ? 30 : 60;
  let backup: string | null = null;
  if (resource.backups) {
    backup = dailyWindow(resource.backups.schedule, 60);
    if (backup === null)
      warnings.push({
        part: `resources.${resource.name}.backups.schedule`,
        message: `${service} takes one automated backup a day, in a window: "${resource.backups.schedule.source}" is not a daily time`,
        instead: `a window of ${service}'s choosing`,
      });
  }
  const maintenance = resource.maintenance ? weeklyWindow(resource.maintenance, shortest) : null;
  if (backup && maintenance && windowsOverlap(backup, maintenance))
    errors.push({
      part: `resources.${resource.name}.maintenance`,
      message: `the maintenance window ${maintenance} overlaps the backup window ${backup}, which ${service} refuses`,
      instead: "move one of them",
    });
  return { backup, maintenance };
}

export function planDatabase(db: Postgres, warnings: TargetNote[], errors: TargetNote[]): PlanDatabase {
  if (db.placement === "self")
    warnings.push({ part: `resources.${db.name}.managed`, message: "a self-run database on ECS would lose its data with the task", instead: "Amazon RDS" });
  let retention = db.backups ? Math.min(35, Math.max(1, days(db.backups.retentionMs))) : 0;
  if (retention === 0 && db.replicas > 0) {
    retention = 1;
    warnings.push({ part: `resources.${db.name}.backups`, message: "RDS read replicas need automated backups", instead: "backups kept 1 day" });
  }
  const parameters: Record<string, string> = {};
  if (db.extensions.length) parameters["rds.allowed_extensions"] = [...db.extensions].sort().join(",");
  const preload = db.extensions.filter((e) => PRELOAD.has(e)).sort();
  if (preload.length) parameters.shared_preload_libraries = ["pg_stat_statements", ...preload].join(",");
  return {
    name: db.name,
    id: pascal(db.name),
    version: String(db.version),
    instanceType: db.instance ?? "db.t3.micro",
    storageGb: Math.max(20, Math.ceil(db.storageBytes / 1e9)),
    multiAz: db.ha,
    readReplicas: db.replicas,
    backupRetentionDays: retention,
    encrypted: db.encrypted,
    databaseName: db.database,
    parameters,
    ...(() => {
      const w = windows(db, "RDS", warnings, errors);
      return { backupWindow: db.backups ? w.backup : null, maintenanceWindow: w.maintenance };
    })(),
  };
}

/** Cache node types by memory (GiB), smallest first, for a cache sized by memory alone. */
const NODES: readonly [string, number][] = [
  ["cache.t3.micro", 0.5],
  ["cache.t3.small", 1.37],
  ["cache.t3.medium", 3.09],
  ["cache.m5.large", 6.38],
  ["cache.r5.large", 13.07],
  ["cache.r5.xlarge", 26.32],
  ["cache.r5.2xlarge", 52.82],
];

export function planCache(cache: Redis, warnings: TargetNote[], errors: TargetNote[]): PlanCache {
  const w = windows(cache, "ElastiCache", warnings, errors);
  const gib = (cache.memoryBytes ?? 0) / 1024 ** 3;
  const node = cache.instance ?? (NODES.find(([, memory]) => memory >= gib) ?? NODES[NODES.length - 1])?.[0] ?? "cache.t3.micro";
  return {
    name: cache.name,
    id: pascal(cache.name),
    engineVersion: cache.version >= 7 ? "7.1" : cache.version === 6 ? "6.2" : `${cache.version}`,
    parameterFamily: cache.version >= 7 ? "redis7" : cache.version === 6 ? "redis6.x" : `redis${cache.version}.0`,
    nodeType: node,
    replicas: cache.replicas,
    evictionPolicy: cache.eviction,
    snapshotRetentionDays: cache.backups ? Math.min(35, days(cache.backups.retentionMs)) : 0,
    snapshotWindow: w.backup,
    maintenanceWindow: w.maintenance,
  };
}

const CLASS = { infrequent: "STANDARD_IA", glacier: "GLACIER", "deep-archive": "DEEP_ARCHIVE" } as const;

export function planBucket(stack: Stack, bucket: Bucket | StaticSite, warnings: TargetNote[]): PlanBucket {
  const transitions: PlanBucket["transitions"][number][] = [];
  const expirations: PlanBucket["expirations"][number][] = [];
  if (bucket.type === "bucket")
    for (const rule of bucket.lifecycle) {
      const after = days(rule.afterMs);
      if (rule.to === "delete") expirations.push({ days: Math.max(1, after), prefix: rule.prefix });
      else {
        // S3 moves objects to Standard-IA no sooner than 30 days after creation.
        const minimum = rule.to === "infrequent" ? 30 : 1;
        if (after < minimum)
          warnings.push({
            part: `resources.${bucket.name}.lifecycle`,
            message: `S3 moves objects to ${CLASS[rule.to]} after ${minimum} days at the earliest`,
            instead: `${minimum} days`,
          });
        transitions.push({ days: Math.max(minimum, after), storageClass: CLASS[rule.to], prefix: rule.prefix });
      }
    }
  if (bucket.cdn)
    warnings.push({
      part: `resources.${bucket.name}.cdn`,
      message: "no CloudFront distribution is generated",
      instead: "the bucket alone; put a CDN in front of it",
    });
  if (bucket.type === "static")
    warnings.push({
      part: `resources.${bucket.name}`,
      message: "a load balancer cannot serve a static site",
      instead: "an S3 bucket to upload the built files to",
    });
  return {
    name: bucket.name,
    id: pascal(bucket.name),
    bucketName: bucket.type === "bucket" ? bucket.physicalName : physicalName(stack.name, stack.environment.name, bucket.name),
    versioned: bucket.type === "bucket" && bucket.versioning,
    publicRead: bucket.type === "bucket" ? bucket.public : false,
    transitions,
    expirations,
  };
}

export function planTable(table: Table): PlanTable {
  return {
    name: table.name,
    id: pascal(table.name),
    tableName: table.physicalName,
    hashKey: table.hashKey,
    rangeKey: table.rangeKey,
    keyTypes: table.keyTypes,
    indexes: table.indexes.map((i) => ({
      name: i.name,
      local: i.local,
      hashKey: { name: i.hashKey, type: table.keyTypes[i.hashKey] ?? "S" },
      rangeKey: i.rangeKey ? { name: i.rangeKey, type: table.keyTypes[i.rangeKey] ?? "S" } : null,
      projection: i.projection,
    })),
    ttlAttribute: table.ttl,
    pointInTimeRecovery: table.backups !== null,
  };
}
