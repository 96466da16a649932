/**
 * `npm run bench:resources`: the local resources, each beside a peer measured in the same run.
 * 1. Start times: private PostgreSQL cluster and embedded Postgres (first start, then a restart),
 *    redis-server, a bucket, a table.
 * 2. Postgres round trips (`SELECT $1`, then single-row INSERTs) with `pg`: embedded against the
 *    private cluster as the peer.
 * 3. S3: PutObject/GetObject of 1 KB objects and one 64 MB object through the AWS SDK, against
 *    writing/reading the same bytes with node:fs as the floor.
 * 4. DynamoDB: PutItem and Query through the DocumentClient, against SET/GET on the private
 *    redis-server with ioredis (a real key-value server over loopback) as the peer.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { Redis } from "ioredis";
import pg from "pg";
import type { Resource } from "../src/model/types.js";
import { type LocalResource, startResource } from "../src/runtime/resources/index.js";
import { stackFrom } from "../src/test-support/index.js";

const N = Number(process.env.N ?? 1000);
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

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await run();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}
const ms = (n: number) => `${n.toFixed(0).padStart(7)} ms`;
const rate = (count: number, took: number) => `${((count / took) * 1000).toFixed(0).padStart(7)}/s`;
const line = (label: string, value: string, extra = "") => process.stdout.write(`${label.padEnd(44)} ${value}${extra ? `  ${extra}` : ""}\n`);

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

process.stdout.write(`local resources, N=${N}, node ${process.version}\n\n1. start\n`);
const native = await startTwice("db", "pg-native", "native");
const embedded = await startTwice("db", "pg-embedded", "embedded");
delete process.env.CAIRN_POSTGRES;
const [redis, redisStart] = await timed(() => startResource(resource("cache"), context("redis")));
line("start redis-server", ms(redisStart));
const [files, s3Start] = await timed(() => startResource(resource("files"), context("files")));
line("start bucket (S3 endpoint)", ms(s3Start));
const [metrics, tableStart] = await timed(() => startResource(resource("metrics"), context("metrics")));
line("start table (DynamoDB endpoint)", ms(tableStart));

process.stdout.write("\n2. postgres round trips (pg, one connection)\n");
const n = await pgRounds(native.attributes.url as string);
const e = await pgRounds(embedded.attributes.url as string);
line(
  "SELECT $1: private cluster / embedded",
  `${rate(N, n.select)} / ${rate(N, e.select).trim()}`,
  `time embedded/cluster ${(e.select / n.select).toFixed(1)}`,
);
line("INSERT: private cluster / embedded", `${rate(N, n.insert)} / ${rate(N, e.insert).trim()}`, `time embedded/cluster ${(e.insert / n.insert).toFixed(1)}`);

process.stdout.write("\n3. S3 (AWS SDK v3) against node:fs\n");
const s3 = new S3Client({
  endpoint: files.attributes.endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: "a", secretAccessKey: "b" },
});
const Bucket = files.attributes.name as string;
const small = Buffer.alloc(1024, 1);
const [, put] = await timed(async () => {
  for (let i = 0; i < N; i++) await s3.send(new PutObjectCommand({ Bucket, Key: `small/${i}`, Body: small }));
});
const [, get] = await timed(async () => {
  for (let i = 0; i < N; i++) await (await s3.send(new GetObjectCommand({ Bucket, Key: `small/${i}` }))).Body?.transformToByteArray();
});
const [, fsPut] = await timed(async () => {
  for (let i = 0; i < N; i++) await writeFile(join(work, `fs-${i}`), small);
});
const [, fsGet] = await timed(async () => {
  for (let i = 0; i < N; i++) await readFile(join(work, `fs-${i}`));
});
line("1 KB PutObject / fs.writeFile", `${rate(N, put)} / ${rate(N, fsPut).trim()}`, `time ratio ${(put / fsPut).toFixed(1)}`);
line("1 KB GetObject / fs.readFile", `${rate(N, get)} / ${rate(N, fsGet).trim()}`, `time ratio ${(get / fsGet).toFixed(1)}`);
const big = Buffer.alloc(64 * 1024 * 1024, 2);
const [, bigPut] = await timed(() => s3.send(new PutObjectCommand({ Bucket, Key: "big", Body: big })));
const [, bigGet] = await timed(async () => (await s3.send(new GetObjectCommand({ Bucket, Key: "big" }))).Body?.transformToByteArray());
const [, bigFsPut] = await timed(() => writeFile(join(work, "fs-big"), big));
const [, bigFsGet] = await timed(() => readFile(join(work, "fs-big")));
const mbs = (took: number) => `${((64 / took) * 1000).toFixed(0).padStart(5)} MB/s`;
line("64 MB PutObject / fs.writeFile", `${mbs(bigPut)} / ${mbs(bigFsPut).trim()}`);
line("64 MB GetObject / fs.readFile", `${mbs(bigGet)} / ${mbs(bigFsGet).trim()}`);

process.stdout.write("\n4. DynamoDB (DocumentClient) against redis (ioredis)\n");
const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: metrics.attributes.endpoint, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } }),
);
const TableName = metrics.attributes.name as string;
const [, dPut] = await timed(async () => {
  for (let i = 0; i < N; i++)
    await doc.send(new PutCommand({ TableName, Item: { metric_type: `t${i % 4}`, date: `2025-11-${String(i).padStart(5, "0")}`, value: i } }));
});
const [, dQuery] = await timed(async () => {
  for (let i = 0; i < N; i++)
    await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: "metric_type = :t AND #d = :d",
        ExpressionAttributeNames: { "#d": "date" },
        ExpressionAttributeValues: { ":t": `t${i % 4}`, ":d": `2025-11-${String(i).padStart(5, "0")}` },
      }),
    );
});
const r = new Redis(redis.attributes.url as string);
const [, rSet] = await timed(async () => {
  for (let i = 0; i < N; i++) await r.set(`k${i}`, JSON.stringify({ value: i }));
});
const [, rGet] = await timed(async () => {
  for (let i = 0; i < N; i++) await r.get(`k${i}`);
});
line("PutItem / redis SET", `${rate(N, dPut)} / ${rate(N, rSet).trim()}`, `time ratio ${(dPut / rSet).toFixed(1)}`);
line("Query (one item) / redis GET", `${rate(N, dQuery)} / ${rate(N, rGet).trim()}`, `time ratio ${(dQuery / rGet).toFixed(1)}`);
r.disconnect();
s3.destroy();

for (const local of [native, embedded, redis, files, metrics]) await local.close();
await rm(work, { recursive: true, force: true });
