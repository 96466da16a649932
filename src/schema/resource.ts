/** Schema of `resources.<name>`: the stack's data, discriminated by `type`. */
import { z } from "zod";
import { MAINTENANCE_PATTERN } from "../model/windows.js";
import { duration, size, template } from "./fields.js";

const common = {
  description: z.string().optional(),
  managed: z.boolean().optional().meta({ description: "Use the cloud's managed service (RDS, ElastiCache) rather than running it on the machine." }),
  instance: z.string().optional().meta({ description: "Managed instance class (db.t3.medium, cache.t3.medium)." }),
};

const maintenance = z.string().regex(MAINTENANCE_PATTERN, "a weekday and a UTC time, such as `sun 04:00` or `sun 04:00-05:00`").meta({
  description:
    "Weekly maintenance window of the managed service, UTC: `sun 04:00` or `sun 04:00-05:00` (RDS takes at least 30 minutes, ElastiCache 60). A database on the machine has none: `cairn check` warns when no environment manages it.",
});

const backups = z
  .union([
    duration,
    z.literal(false),
    z.strictObject({
      retention: duration.optional().meta({ description: "How long backups are kept (default 7d)." }),
      schedule: z.string().optional().meta({
        description:
          "When backups run, UTC (default daily at 03:00): the vm's backup timer, and on aws the start of the one-hour RDS backup window or ElastiCache snapshot window, which must be daily.",
      }),
    }),
  ])
  .meta({ description: "Backups: a retention (`7d`), an object, or false." });

export const postgres = z.strictObject({
  type: z.literal("postgres"),
  ...common,
  version: z.union([z.number().int(), z.string()]).optional().meta({ description: "Major version (default 16)." }),
  extensions: z.array(z.string()).optional().meta({ description: "Extensions to enable, such as postgis." }),
  storage: size.optional().meta({ description: "Allocated storage (default 20GB)." }),
  backups: backups.optional(),
  maintenance: maintenance.optional(),
  ha: z.boolean().optional().meta({ description: "A standby in another zone (Multi-AZ)." }),
  replicas: z.number().int().min(0).max(15).optional().meta({ description: "Read replicas." }),
  encrypted: z.boolean().optional().meta({ description: "Encryption at rest (default true)." }),
  database: z.string().optional().meta({ description: "Database name (default the resource name, dashes as underscores)." }),
});

export const redis = z.strictObject({
  type: z.literal("redis"),
  ...common,
  version: z.union([z.number().int(), z.string()]).optional().meta({ description: "Major version (default 7)." }),
  memory: size.optional().meta({ description: "Memory limit (maxmemory)." }),
  eviction: z
    .enum(["noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"])
    .optional(),
  replicas: z.number().int().min(0).max(5).optional(),
  persistence: z.boolean().optional().meta({ description: "Write data to disk (default true)." }),
  backups: backups.optional(),
  maintenance: maintenance.optional(),
});

export const lifecycleRule = z.strictObject({
  after: duration,
  to: z.enum(["infrequent", "glacier", "deep-archive", "delete"]),
  prefix: z.string().optional(),
});

export const bucket = z.strictObject({
  type: z.literal("bucket"),
  ...common,
  name: z
    .string()
    .optional()
    .meta({ description: "The bucket's name in every target (S3 names are global), such as `cityflow-reports-paris`; default `<stack>-<env>-<resource>`." }),
  versioning: z.boolean().optional(),
  public: z.boolean().optional().meta({ description: "Objects readable by anyone (default false)." }),
  lifecycle: z.array(lifecycleRule).optional(),
  cdn: z.boolean().optional().meta({ description: "Serve through a CDN (CloudFront)." }),
  seed: z.string().optional().meta({ description: "Folder whose files are uploaded to the local bucket on first start." }),
  outside_project: z
    .boolean()
    .optional()
    .meta({ description: "Allow `seed` to be a folder outside the stack file's folder (default false: refused, since it would expose that folder's files)." }),
});

/** A secondary index of a table: global (its own hash key) or local (the table's hash, another range). */
export const tableIndex = z
  .strictObject({
    hash: z.string().optional().meta({ description: "Hash (partition) key of a global index." }),
    range: z.string().optional().meta({ description: "Range (sort) key; required for a local index." }),
    local: z.boolean().optional().meta({ description: "A local index: the table's hash key with another range key (default false: global)." }),
    projection: z
      .union([z.enum(["all", "keys"]), z.array(z.string()).min(1)])
      .optional()
      .meta({ description: "Attributes copied into the index: all (default), keys, or a list of attributes besides the keys." }),
  })
  .superRefine((index, ctx) => {
    if (index.local && index.hash !== undefined) ctx.addIssue({ code: "custom", message: "a local index uses the table's hash key: remove `hash`" });
    if (index.local && index.range === undefined) ctx.addIssue({ code: "custom", message: "a local index needs `range`" });
    if (!index.local && index.hash === undefined) ctx.addIssue({ code: "custom", message: "a global index needs `hash` (or `local: true`)" });
  });

export const table = z.strictObject({
  type: z.literal("table"),
  ...common,
  name: z.string().optional().meta({ description: "The table's name in every target, such as `cityflow-metrics`; default `<stack>-<env>-<resource>`." }),
  key: z.strictObject({ hash: z.string(), range: z.string().optional() }),
  attributes: z
    .record(z.string(), z.enum(["string", "number", "binary"]))
    .optional()
    .meta({ description: "Types of the key and index key attributes (default string)." }),
  indexes: z
    .record(z.string(), tableIndex)
    .superRefine((indexes, ctx) => {
      for (const name of Object.keys(indexes)) {
        if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name))
          ctx.addIssue({ code: "custom", path: [name], message: "an index name has 3 to 255 of a-z, A-Z, 0-9, `_`, `.`, `-`" });
      }
    })
    .optional()
    .meta({ description: "Secondary indexes by name (3 to 255 of a-z, A-Z, 0-9, `_.-`): up to 20 global and 5 local." }),
  ttl: z.string().optional().meta({ description: "Attribute holding an expiry time." }),
  backups: backups.optional(),
});

export const external = z.strictObject({
  type: z.literal("external"),
  description: z.string().optional(),
  url: template.meta({ description: "Where it is, usually `${secret.NAME}`." }),
  kind: z.enum(["postgres", "redis", "elasticsearch", "http", "other"]).optional(),
});

export const staticSite = z.strictObject({
  type: z.literal("static"),
  description: z.string().optional(),
  dir: z.string().meta({ description: "Folder with the built files." }),
  build: z.string().optional().meta({ description: "Command that builds the folder." }),
  env: z.record(z.string(), template).optional().meta({ description: "Build-time variables (such as the API's public URL)." }),
  cdn: z.boolean().optional(),
  path: z.string().startsWith("/").optional().meta({ description: "Path at which the gateway serves it locally (default /)." }),
  spa: z.boolean().optional().meta({ description: "Unknown paths answer index.html (default true)." }),
  outside_project: z
    .boolean()
    .optional()
    .meta({ description: "Allow `dir` to be a folder outside the stack file's folder (default false: refused, since it would expose that folder's files)." }),
});

export const resource = z.discriminatedUnion("type", [postgres, redis, bucket, table, external, staticSite]);
export const resourceTypes = ["postgres", "redis", "bucket", "table", "external", "static"] as const;
