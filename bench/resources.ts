/**
 * `npm run bench:resources [-- --only s3,dynamodb --n 2000 --rounds 3]`: the local resources, each beside
 * a peer measured in the same run, with the machine's load printed first.
 * - start: start times of a private PostgreSQL cluster and the embedded Postgres (first start, then a
 *   restart), redis-server, a bucket, a table.
 * - postgres: round trips (`SELECT $1`, then single-row INSERTs) with `pg`: embedded against the private
 *   cluster as the peer.
 * - s3: PutObject and GetObject of 1 KB objects through the AWS SDK, 16 concurrent clients, against s3rver
 *   (the npm S3 stand-in); then one 64 MB object against node:fs as the floor.
 * - dynamodb: PutItem, GetItem and Query through the DocumentClient, 16 concurrent clients, against dynalite.
 * Cairn and the peer alternate for `--rounds` rounds; the median of each is printed with the ratio
 * Cairn/peer (above 1.0: Cairn is faster). Every loop is bounded by `--n` operations.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import pg from "pg";
import type { Resource } from "../src/model/types.js";
import { type LocalResource, startResource } from "../src/runtime/resources/index.js";
import { stackFrom } from "../src/test-support/index.js";

// The peers are CommonJS without types: only what the bench calls is declared.
const require = createRequire(import.meta.url);
const dynalite = require("dynalite") as (options: Record<string, number>) => Server;
const S3rver = require("s3rver") as new (options: Record<string, unknown>) => { run(): Promise<{ port: number }>; close(): Promise<void> };

const { values } = parseArgs({
  options: {
    only: { type: "string", default: "start,postgres,s3,dynamodb" },
    n: { type: "string", default: "2000" },
    rounds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "16" },
  },
});
const parts = new Set((values.only ?? "").split(","));
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = Number(values.concurrency);
const stack = stackFrom(`name: bench
resources:
  db: { type: postgres, version: 15 }
  cache: { type: redis }
  files: { type: bucket }
  metrics: { type: table, key: { hash: metric_type, range: date } }
`);
const resource = (name: string) => stack.resources.find((r) => r.name === name) as Resource;
const work = await mkdtemp(join(tmpdir(), "cairn-bench-resources-"));
await chmod(work, 0o755);
const context = (name: string) => ({ dataDir: join(work, name), stack: "bench", environment: "local", host: "127.0.0.1", root: work, log: () => {} });
// s3rver accepts only its own default key; Cairn and dynalite accept any.
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await run();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}
const ms = (n: number) => `${n.toFixed(0).padStart(7)} ms`;
const rate = (count: number, took: number) => `${((count / took) * 1000).toFixed(0).padStart(7)}/s`;
const line = (label: string, value: string, extra = "") => process.stdout.write(`${label.padEnd(44)} ${value}${extra ? `  ${extra}` : ""}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Runs `op(i)` for i in [0, N) on CONCURRENCY workers; returns operations per second. */
async function throughput(op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const [, took] = await timed(() =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) await op(next++);
      }),
    ),
  );
  return (N / took) * 1000;
}

/** Alternates Cairn and the peer for ROUNDS rounds; prints both medians and the ratio. */
async function versus(label: string, cairn: () => Promise<number>, peer: () => Promise<number>, peerName: string): Promise<void> {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    ours.push(await cairn());
    theirs.push(await peer());
  }
  const a = median(ours);
  const b = median(theirs);
  line(`${label}: Cairn / ${peerName}`, `${a.toFixed(0).padStart(7)}/s / ${b.toFixed(0)}/s`, `ratio ${(a / b).toFixed(2)}`);
}

async function startTwice(name: string, dir: string, env: string | null): Promise<LocalResource> {
  if (env) process.env.CAIRN_POSTGRES = env;
  const [first, cold] = await timed(() => startResource(resource(name), context(dir)));
  await first.close();
  const [second, warm] = await timed(() => startResource(resource(name), context(dir)));
  line(`start ${dir}: first / again`, `${ms(cold)} / ${ms(warm).trim()}`);
  return second;
}

async function pgRounds(url: string): Promise<{ select: number; insert: number }> {
  const client = new pg.Client(url);
  await client.connect();
  await client.query("DROP TABLE IF EXISTS b; CREATE TABLE b (id int PRIMARY KEY, v text)");
  const [, select] = await timed(async () => {
    for (let i = 0; i < N; i++) await client.query("SELECT $1::int AS v", [i]);
  });
  const [, insert] = await timed(async () => {
    for (let i = 0; i < N; i++) await client.query("INSERT INTO b VALUES ($1, $2)", [i, `row ${i}`]);
  });
  await client.end();
  return { select, insert };
}

const [one, five, fifteen] = loadavg();
process.stdout.write(
  `local resources, N=${N}, ${CONCURRENCY} clients, ${ROUNDS} rounds, node ${process.version}; load ${[one, five, fifteen].map((l) => (l ?? 0).toFixed(2)).join(" ")}\n`,
);

if (parts.has("start") || parts.has("postgres")) {
  process.stdout.write("\nstart\n");
  const native = await startTwice("db", "pg-native", "native");
  const embedded = await startTwice("db", "pg-embedded", "embedded");
  delete process.env.CAIRN_POSTGRES;
  const [redis, redisStart] = await timed(() => startResource(resource("cache"), context("redis")));
  line("start redis-server", ms(redisStart));
  const [files, s3Start] = await timed(() => startResource(resource("files"), context("files-start")));
  line("start bucket (S3 endpoint)", ms(s3Start));
  const [metrics, tableStart] = await timed(() => startResource(resource("metrics"), context("metrics-start")));
  line("start table (DynamoDB endpoint)", ms(tableStart));
  if (parts.has("postgres")) {
    process.stdout.write("\npostgres round trips (pg, one connection)\n");
    const n = await pgRounds(native.attributes.url as string);
    const e = await pgRounds(embedded.attributes.url as string);
    line(
      "SELECT $1: private cluster / embedded",
      `${rate(N, n.select)} / ${rate(N, e.select).trim()}`,
      `time embedded/cluster ${(e.select / n.select).toFixed(1)}`,
    );
    line(
      "INSERT: private cluster / embedded",
      `${rate(N, n.insert)} / ${rate(N, e.insert).trim()}`,
      `time embedded/cluster ${(e.insert / n.insert).toFixed(1)}`,
    );
  }
  for (const local of [native, embedded, redis, files, metrics]) await local.close();
}

if (parts.has("s3")) {
  process.stdout.write(`\nS3 (AWS SDK v3, ${CONCURRENCY} clients) against s3rver\n`);
  const files = await startResource(resource("files"), context("files"));
  const peer = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: join(work, "s3rver") });
  const { port } = await peer.run();
  const client = (endpoint: string) => new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials });
  const ours = client(files.attributes.endpoint as string);
  const theirs = client(`http://127.0.0.1:${port}`);
  const Bucket = files.attributes.name as string;
  await theirs.send(new CreateBucketCommand({ Bucket }));
  const small = Buffer.alloc(1024, 1);
  const put = (s3: S3Client) => () => throughput((i) => s3.send(new PutObjectCommand({ Bucket, Key: `small/${i}`, Body: small })));
  const get = (s3: S3Client) => () =>
    throughput(async (i) => (await s3.send(new GetObjectCommand({ Bucket, Key: `small/${i}` }))).Body?.transformToByteArray());
  await versus("1 KB PutObject", put(ours), put(theirs), "s3rver");
  await versus("1 KB GetObject", get(ours), get(theirs), "s3rver");
  const big = Buffer.alloc(64 * 1024 * 1024, 2);
  const [, bigPut] = await timed(() => ours.send(new PutObjectCommand({ Bucket, Key: "big", Body: big })));
  const [, bigGet] = await timed(async () => (await ours.send(new GetObjectCommand({ Bucket, Key: "big" }))).Body?.transformToByteArray());
  const [, bigFsPut] = await timed(() => writeFile(join(work, "fs-big"), big));
  const [, bigFsGet] = await timed(() => readFile(join(work, "fs-big")));
  const mbs = (took: number) => `${((64 / took) * 1000).toFixed(0).padStart(5)} MB/s`;
  line("64 MB PutObject: Cairn / fs.writeFile", `${mbs(bigPut)} / ${mbs(bigFsPut).trim()}`);
  line("64 MB GetObject: Cairn / fs.readFile", `${mbs(bigGet)} / ${mbs(bigFsGet).trim()}`);
  ours.destroy();
  theirs.destroy();
  await peer.close();
  await files.close();
}

if (parts.has("dynamodb")) {
  process.stdout.write(`\nDynamoDB (DocumentClient, ${CONCURRENCY} clients) against dynalite\n`);
  const metrics = await startResource(resource("metrics"), context("metrics"));
  const peer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((r) => peer.listen(0, "127.0.0.1", () => r()));
  const address = peer.address();
  const client = (endpoint: string) => DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: "us-east-1", credentials }));
  const ours = client(metrics.attributes.endpoint as string);
  const theirs = client(`http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`);
  const TableName = metrics.attributes.name as string;
  const { CreateTableCommand } = await import("@aws-sdk/client-dynamodb");
  await theirs.send(
    new CreateTableCommand({
      TableName,
      KeySchema: [
        { AttributeName: "metric_type", KeyType: "HASH" },
        { AttributeName: "date", KeyType: "RANGE" },
      ],
      AttributeDefinitions: [
        { AttributeName: "metric_type", AttributeType: "S" },
        { AttributeName: "date", AttributeType: "S" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  const key = (i: number) => ({ metric_type: `t${i % 4}`, date: `2025-11-${String(i).padStart(5, "0")}` });
  const put = (doc: DynamoDBDocumentClient) => () =>
    throughput((i) => doc.send(new PutCommand({ TableName, Item: { ...key(i), value: i, note: "x".repeat(64) } })));
  const get = (doc: DynamoDBDocumentClient) => () => throughput((i) => doc.send(new GetCommand({ TableName, Key: key(i) })));
  const query = (doc: DynamoDBDocumentClient) => () =>
    throughput((i) =>
      doc.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: "metric_type = :t AND #d = :d",
          ExpressionAttributeNames: { "#d": "date" },
          ExpressionAttributeValues: { ":t": key(i).metric_type, ":d": key(i).date },
        }),
      ),
    );
  await versus("PutItem", put(ours), put(theirs), "dynalite");
  await versus("GetItem", get(ours), get(theirs), "dynalite");
  await versus("Query (one item)", query(ours), query(theirs), "dynalite");
  ours.destroy();
  theirs.destroy();
  await new Promise<void>((r) => peer.close(() => r()));
  await metrics.close();
}

await rm(work, { recursive: true, force: true });
