/**
 * Data stores in the compose project: official PostgreSQL (PostGIS image when asked) and Redis
 * images, MinIO for buckets and DynamoDB Local for tables, each with a named volume and a health
 * check; one-shot services create the buckets and tables. Pure.
 */
import type { Bucket, Postgres, Redis, Stack, Table, TableIndex } from "../../model/types.js";
import { shellWord } from "../common/systemd.js";
import type { GeneratedFile } from "../types.js";
import type { Entry } from "./processes.js";
import { DYNAMODB_SERVICE, type EnvKeys, POSTGRES_USER, postgresPassword, S3_SERVICE } from "./values.js";

export const MINIO_IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";
export const MC_IMAGE = "minio/mc:RELEASE.2025-04-16T18-13-26Z";
export const DYNAMODB_IMAGE = "amazon/dynamodb-local:2.6.1";
export const AWS_CLI_IMAGE = "amazon/aws-cli:2.27.0";

const accessKey = (keys: EnvKeys) =>
  keys.ref({ name: "STORE_ACCESS_KEY", kind: "password", optional: false, description: "access key of the local S3 and DynamoDB services (choose one)" });
const secretKey = (keys: EnvKeys) =>
  keys.ref({
    name: "STORE_SECRET_KEY",
    kind: "password",
    optional: false,
    description: "secret key of the local S3 and DynamoDB services (choose one, 8+ characters)",
  });

export function postgresEntry(db: Postgres, keys: EnvKeys): { entry: Entry; files: GeneratedFile[] } {
  const postgis = db.extensions.includes("postgis");
  const others = db.extensions.filter((e) => e !== "postgis");
  const files: GeneratedFile[] = [];
  const volumes = [`${db.name}-data:/var/lib/postgresql/data`];
  if (others.length) {
    files.push({ path: `postgres/${db.name}-init.sql`, content: others.map((e) => `CREATE EXTENSION IF NOT EXISTS "${e}";\n`).join("") });
    volumes.push(`./postgres/${db.name}-init.sql:/docker-entrypoint-initdb.d/10-extensions.sql:ro`);
  }
  const entry: Entry = {
    image: postgis ? `postgis/postgis:${db.version}-3.4` : `postgres:${db.version}`,
    environment: { POSTGRES_DB: db.database, POSTGRES_PASSWORD: postgresPassword(keys), POSTGRES_USER },
    volumes,
    healthcheck: { test: ["CMD-SHELL", `pg_isready -U ${POSTGRES_USER} -d ${db.database}`], interval: "5s", timeout: "3s", retries: 10 },
    restart: "always",
  };
  return { entry, files };
}

export function redisEntry(redis: Redis): Entry {
  const command = ["redis-server", "--maxmemory-policy", redis.eviction, "--appendonly", redis.persistence ? "yes" : "no"];
  if (redis.memoryBytes !== null) command.push("--maxmemory", String(redis.memoryBytes));
  return {
    image: `redis:${redis.version}`,
    command,
    volumes: [`${redis.name}-data:/data`],
    healthcheck: { test: ["CMD", "redis-cli", "ping"], interval: "5s", timeout: "3s", retries: 10 },
    restart: "always",
  };
}

/** MinIO and the one-shot service that creates every bucket (versioning where asked). */
export function bucketEntries(buckets: readonly Bucket[], keys: EnvKeys): Record<string, Entry> {
  const names = buckets.map((b) => b.physicalName);
  const script = [
    `mc alias set local http://${S3_SERVICE}:9000 "$$MINIO_ROOT_USER" "$$MINIO_ROOT_PASSWORD"`,
    ...names.map((n) => `mc mb --ignore-existing local/${n}`),
    ...buckets.filter((b) => b.versioning).map((b) => `mc version enable local/${b.physicalName}`),
  ].join(" && ");
  const credentials = { MINIO_ROOT_PASSWORD: secretKey(keys), MINIO_ROOT_USER: accessKey(keys) };
  return {
    [S3_SERVICE]: {
      image: MINIO_IMAGE,
      command: ["server", "/data", "--console-address", ":9001"],
      environment: credentials,
      volumes: ["s3-data:/data"],
      healthcheck: { test: ["CMD", "mc", "ready", "local"], interval: "5s", timeout: "3s", retries: 10 },
      restart: "always",
    },
    "s3-buckets": {
      image: MC_IMAGE,
      entrypoint: ["sh", "-c", script],
      environment: credentials,
      depends_on: { [S3_SERVICE]: { condition: "service_healthy" } },
      restart: "no",
    },
  };
}

/** The `aws dynamodb create-table` of a table: its key types and its secondary indexes, as on aws. */
function createTable(table: Table): string {
  const name = shellWord(table.physicalName);
  const attrs = Object.entries(table.keyTypes).map(([attr, type]) => ({ AttributeName: attr, AttributeType: type }));
  const keys = (hash: string, range: string | null) => [
    { AttributeName: hash, KeyType: "HASH" },
    ...(range ? [{ AttributeName: range, KeyType: "RANGE" }] : []),
  ];
  const projection = (p: TableIndex["projection"]) =>
    p === "all" ? { ProjectionType: "ALL" } : p === "keys" ? { ProjectionType: "KEYS_ONLY" } : { ProjectionType: "INCLUDE", NonKeyAttributes: [...p] };
  const index = (i: TableIndex) => ({ IndexName: i.name, KeySchema: keys(i.hashKey, i.rangeKey), Projection: projection(i.projection) });
  const global = table.indexes.filter((i) => !i.local).map(index);
  const local = table.indexes.filter((i) => i.local).map(index);
  const json = (value: unknown) => shellWord(JSON.stringify(value));
  const endpoint = `--endpoint-url http://${DYNAMODB_SERVICE}:8000`;
  const create = [
    `aws dynamodb create-table ${endpoint} --table-name ${name} --billing-mode PAY_PER_REQUEST`,
    `--attribute-definitions ${json(attrs)} --key-schema ${json(keys(table.hashKey, table.rangeKey))}`,
    ...(global.length ? [`--global-secondary-indexes ${json(global)}`] : []),
    ...(local.length ? [`--local-secondary-indexes ${json(local)}`] : []),
  ].join(" ");
  // Compose reads `$` in the file as its own interpolation: `$$` is a literal dollar for the shell.
  return `(aws dynamodb describe-table ${endpoint} --table-name ${name} >/dev/null 2>&1 || ${create})`.replace(/\$/g, "$$$$");
}

/** DynamoDB Local and the one-shot service that creates every table. */
export function tableEntries(stack: Stack, tables: readonly Table[], keys: EnvKeys): Record<string, Entry> {
  return {
    [DYNAMODB_SERVICE]: {
      image: DYNAMODB_IMAGE,
      command: ["-jar", "DynamoDBLocal.jar", "-sharedDb", "-dbPath", "/home/dynamodblocal/data"],
      working_dir: "/home/dynamodblocal",
      user: "root",
      volumes: ["dynamodb-data:/home/dynamodblocal/data"],
      restart: "always",
    },
    "dynamodb-tables": {
      image: AWS_CLI_IMAGE,
      entrypoint: ["sh", "-c", tables.map((t) => createTable(t)).join(" && ")],
      environment: { AWS_ACCESS_KEY_ID: accessKey(keys), AWS_REGION: stack.environment.region, AWS_SECRET_ACCESS_KEY: secretKey(keys) },
      depends_on: { [DYNAMODB_SERVICE]: { condition: "service_started" } },
      restart: "on-failure",
    },
  };
}
