/** Resolves resources: defaults, and where each lives in the current environment. */

import type { ResourceInput } from "../schema/stack.js";
import { type Names, parseTemplate } from "./references.js";
import { bytes, ms } from "./resolve-process.js";
import { parseSchedule } from "./schedule.js";
import type { Backups, KeyType, Placement, Resource, Table, TableIndex, TargetName } from "./types.js";
import { physicalName } from "./variables.js";
import { parseMaintenance } from "./windows.js";

const DEFAULT_BACKUP_SCHEDULE = "daily at 03:00";

type BackupInput = string | number | false | { retention?: string | number; schedule?: string } | undefined;

function backups(input: BackupInput): Backups | null {
  if (input === undefined || input === false) return null;
  const spec = typeof input === "object" ? input : { retention: input };
  const parsed = parseSchedule(spec.schedule ?? DEFAULT_BACKUP_SCHEDULE);
  const schedule = parsed.ok ? parsed.schedule : { source: DEFAULT_BACKUP_SCHEDULE, cron: "0 3 * * *", calendar: "*-*-* 03:00:00", timezone: "UTC" };
  return { retentionMs: ms(spec.retention, 7 * 86_400_000), schedule };
}

/**
 * Where a resource lives: locally everything runs on this machine; on a VM or compose, databases
 * and caches run beside the app unless `managed: true`; buckets and tables are the cloud's on vm,
 * k8s and aws; on aws everything is managed.
 */
const KEY_TYPES: Record<string, KeyType> = { string: "S", number: "N", binary: "B" };
type TableInput = Extract<ResourceInput, { type: "table" }>;

/** Keys, key types and indexes of a table: every key attribute typed (default S), indexes sorted by name. */
function tableKeys(input: TableInput): Pick<Table, "hashKey" | "rangeKey" | "keyTypes" | "indexes"> {
  const hashKey = input.key.hash;
  const indexes: TableIndex[] = Object.entries(input.indexes ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, index]) => ({
      name,
      local: index.local ?? false,
      hashKey: index.local ? hashKey : (index.hash ?? hashKey),
      rangeKey: index.range ?? null,
      projection: index.projection ?? "all",
    }));
  const keyTypes: Record<string, KeyType> = {};
  for (const attribute of [hashKey, input.key.range, ...indexes.flatMap((i) => [i.hashKey, i.rangeKey])]) {
    if (attribute) keyTypes[attribute] = KEY_TYPES[input.attributes?.[attribute] ?? "string"] ?? "S";
  }
  return { hashKey, rangeKey: input.key.range ?? null, keyTypes, indexes };
}

export function placement(input: ResourceInput, target: TargetName): Placement {
  if (input.type === "external") return "external";
  if (target === "local") return "local";
  const managed = "managed" in input ? input.managed : undefined;
  if (managed !== undefined) return managed ? "managed" : "self";
  switch (input.type) {
    case "postgres":
    case "redis":
      return target === "aws" ? "managed" : "self";
    case "bucket":
    case "table":
      return target === "compose" ? "self" : "managed";
    case "static":
      return target === "aws" || target === "k8s" ? "managed" : "self";
  }
}

const version = (value: string | number | undefined, fallback: number): number => {
  const n = typeof value === "number" ? value : Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) ? n : fallback;
};

/** Resolves one resource; `usedBy` is filled by the caller once processes are known. */
/** Where a resource is resolved: the stack's and the environment's names give the default physical names. */
export interface ResourceScope {
  readonly stack: string;
  readonly environment: string;
  readonly target: TargetName;
}

export function resolveResource(name: string, input: ResourceInput, scope: ResourceScope, names: Names, usedBy: readonly string[]): Resource {
  const target = scope.target;
  const base = {
    name,
    description: input.description ?? null,
    placement: placement(input, target),
    usedBy,
    instance: "instance" in input ? (input.instance ?? null) : null,
  };
  switch (input.type) {
    case "postgres":
      return {
        ...base,
        type: "postgres",
        version: version(input.version, 16),
        extensions: input.extensions ?? [],
        storageBytes: bytes(input.storage, 20e9),
        backups: backups(input.backups),
        maintenance: input.maintenance ? parseMaintenance(input.maintenance) : null,
        ha: input.ha ?? false,
        replicas: input.replicas ?? 0,
        encrypted: input.encrypted ?? true,
        database: input.database ?? name.replace(/-/g, "_"),
      };
    case "redis":
      return {
        ...base,
        type: "redis",
        version: version(input.version, 7),
        memoryBytes: input.memory === undefined ? null : bytes(input.memory, 0),
        eviction: input.eviction ?? "noeviction",
        replicas: input.replicas ?? 0,
        persistence: input.persistence ?? true,
        backups: backups(input.backups),
        maintenance: input.maintenance ? parseMaintenance(input.maintenance) : null,
      };
    case "bucket":
      return {
        ...base,
        type: "bucket",
        physicalName: physicalName(scope.stack, scope.environment, name, input.name),
        versioning: input.versioning ?? false,
        public: input.public ?? false,
        lifecycle: (input.lifecycle ?? []).map((rule) => ({ afterMs: ms(rule.after, 0), to: rule.to, prefix: rule.prefix ?? null })),
        cdn: input.cdn ?? false,
        seed: input.seed ?? null,
        outsideProject: input.outside_project ?? false,
      };
    case "table":
      return {
        ...base,
        type: "table",
        physicalName: physicalName(scope.stack, scope.environment, name, input.name),
        ...tableKeys(input),
        ttl: input.ttl ?? null,
        backups: backups(input.backups),
      };
    case "external":
      return { ...base, type: "external", url: parseTemplate(input.url, names).template, externalKind: input.kind ?? "other" };
    case "static":
      return {
        ...base,
        type: "static",
        dir: input.dir,
        buildCommand: input.build ?? null,
        buildEnv: Object.entries(input.env ?? {}).map(([n, v]) => ({ name: n, value: parseTemplate(v, names).template, origin: "file" as const })),
        cdn: input.cdn ?? false,
        path: input.path ?? "/",
        spa: input.spa ?? true,
        outsideProject: input.outside_project ?? false,
      };
  }
}
