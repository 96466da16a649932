/** Postgres and Redis kept in the cluster: a StatefulSet with a PersistentVolumeClaim and a headless Service. */

import type { Postgres, Redis, Stack } from "../../model/types.js";
import { envName } from "../../model/variables.js";
import type { TargetNote } from "../types.js";
import { PORTS, type SecretKeys } from "./env.js";
import { k8sName, metadata, secretName, selectorLabels, storageQuantity } from "./names.js";

/** Extensions the official postgres image ships (contrib); others need an image that has them. */
const CONTRIB = new Set([
  "pg_trgm",
  "uuid-ossp",
  "hstore",
  "pgcrypto",
  "citext",
  "pg_stat_statements",
  "btree_gist",
  "btree_gin",
  "unaccent",
  "ltree",
  "fuzzystrmatch",
  "tablefunc",
  "intarray",
  "cube",
  "earthdistance",
]);

/** The image of an in-cluster Postgres: PostGIS's when the file asks for it. */
export function postgresImage(db: Postgres): string {
  return db.extensions.includes("postgis") ? `postgis/postgis:${db.version}-3.4` : `postgres:${db.version}`;
}

function statefulSet(stack: Stack, name: string, component: "database" | "cache", storage: string, containerSpec: object) {
  const meta = metadata(stack, name, component);
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: meta,
    spec: {
      serviceName: k8sName(name),
      replicas: 1,
      selector: { matchLabels: selectorLabels(stack, name) },
      template: { metadata: { labels: meta.labels }, spec: { terminationGracePeriodSeconds: 60, containers: [containerSpec] } },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage } } } }],
    },
  };
}

function headlessService(stack: Stack, name: string, component: "database" | "cache", port: number) {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(stack, name, component),
    spec: {
      clusterIP: "None",
      selector: selectorLabels(stack, name),
      ports: [{ name: component === "database" ? "postgres" : "redis", port, targetPort: port, protocol: "TCP" }],
    },
  };
}

function notes(resource: Postgres | Redis, warnings: TargetNote[]): void {
  const replicas = resource.type === "postgres" && resource.ha ? Math.max(1, resource.replicas) : resource.replicas;
  if (replicas > 0)
    warnings.push({
      part: `resources.${resource.name}.${resource.type === "postgres" && resource.ha ? "ha" : "replicas"}`,
      message: "replication of an in-cluster data store needs an operator (CloudNativePG, a Redis operator)",
      instead: "one instance with a persistent volume",
    });
  if (resource.backups)
    warnings.push({
      part: `resources.${resource.name}.backups`,
      message: "backups of an in-cluster volume depend on the cluster",
      instead: "none generated: use volume snapshots or an operator",
    });
}

export function postgresObjects(stack: Stack, db: Postgres, keys: SecretKeys, warnings: TargetNote[]): object[] {
  notes(db, warnings);
  for (const extension of db.extensions.filter((e) => e !== "postgis" && e !== "plpgsql" && !CONTRIB.has(e)))
    warnings.push({
      part: `resources.${db.name}.extensions`,
      message: `extension ${extension} is not in the ${postgresImage(db)} image`,
      instead: `image ${postgresImage(db)}: use one that has it`,
    });
  const key = `${envName(db.name)}_PASSWORD`;
  if (!keys.has(key)) keys.set(key, `password of the in-cluster postgres "${db.name}" (choose one)`);
  const port = PORTS.postgres;
  const ready = { exec: { command: ["pg_isready", "-U", "postgres", "-d", db.database] }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 };
  const containerSpec = {
    name: "postgres",
    image: postgresImage(db),
    env: [
      { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
      { name: "POSTGRES_DB", value: db.database },
      { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: secretName(stack), key } } },
      { name: "POSTGRES_USER", value: "postgres" },
    ],
    ports: [{ name: "postgres", containerPort: port, protocol: "TCP" }],
    readinessProbe: ready,
    livenessProbe: { ...ready, initialDelaySeconds: 30 },
    volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
  };
  return [headlessService(stack, db.name, "database", port), statefulSet(stack, db.name, "database", storageQuantity(db.storageBytes), containerSpec)];
}

export function redisObjects(stack: Stack, cache: Redis, warnings: TargetNote[]): object[] {
  notes(cache, warnings);
  const port = PORTS.redis;
  const args = ["--appendonly", cache.persistence ? "yes" : "no", "--maxmemory-policy", cache.eviction];
  if (cache.memoryBytes) args.push("--maxmemory", String(cache.memoryBytes));
  const ping = { exec: { command: ["redis-cli", "ping"] }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 };
  const containerSpec = {
    name: "redis",
    image: `redis:${cache.version}`,
    args,
    ports: [{ name: "redis", containerPort: port, protocol: "TCP" }],
    readinessProbe: ping,
    livenessProbe: { ...ping, initialDelaySeconds: 15 },
    ...(cache.memoryBytes ? { resources: { requests: { memory: `${Math.ceil((cache.memoryBytes * 1.25) / 1024 ** 2)}Mi` } } } : {}),
    volumeMounts: [{ name: "data", mountPath: "/data" }],
  };
  // The append-only file can reach about twice the data set before a rewrite.
  const storage = storageQuantity(Math.max(1024 ** 3, (cache.memoryBytes ?? 0) * 2));
  return [headlessService(stack, cache.name, "cache", port), statefulSet(stack, cache.name, "cache", storage, containerSpec)];
}
