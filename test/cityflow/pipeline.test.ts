/**
 * The CityFlow pipeline against the local S3 and DynamoDB endpoints (the runtime's own resources, as
 * `cairn up` starts them): the processor reads the seeded raw bucket and writes metrics and a report, the
 * API serves them, the report is in the bucket, read back with the AWS SDK.
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CityflowStores, type Running, startNode, startStores } from "./stack.js";
import { expected, type Metric, node } from "./support.js";

const DAY = "2025-11-04";
const local = { region: "eu-west-3", credentials: { accessKeyId: "test", secretAccessKey: "test" } };

describe("cityflow pipeline on the local stores", () => {
  let stores: CityflowStores;
  let api: Running;
  let s3: S3Client;
  let get: (path: string) => Promise<{ status: number; body: unknown; text: string }>;

  beforeAll(async () => {
    stores = await startStores();
    const env = stores.envOf("processor");
    const first = await node(["app/processor.mjs", "2025-11-03..2025-11-05"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    api = await startNode("app/api.mjs", stores.envOf("api", 0));
    s3 = new S3Client({ ...local, endpoint: env.S3_ENDPOINT, forcePathStyle: true });
    get = async (path) => {
      const res = await fetch(`http://127.0.0.1:${api.port}${path}`);
      const text = await res.text();
      return { status: res.status, text, body: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null };
    };
  });
  afterAll(async () => {
    await api?.stop();
    s3?.destroy();
    await stores?.close();
  });

  it("serves the day's metrics, equal to an independent computation from the raw rows", async () => {
    const { status, body } = await get(`/metrics?date=${DAY}`);
    expect(status).toBe(200);
    const metrics = Object.fromEntries((body as { metrics: Metric[] }).metrics.map((m) => [m.metric_type, m]));
    expect(Object.keys(metrics)).toEqual(["traffic", "bikes", "comptages", "chantiers"]);
    for (const [type, values] of Object.entries(expected(DAY))) expect(metrics[type]?.values, type).toMatchObject(values);
  });

  it("serves one type over a date range", async () => {
    const { status, body } = await get("/metrics/traffic?from=2025-11-04&to=2025-11-05");
    expect(status).toBe(200);
    const items = (body as { metrics: Metric[] }).metrics;
    expect(items.map((m) => m.date)).toEqual(["2025-11-04", "2025-11-05"]);
    expect(items[1]?.value).toBe(expected("2025-11-05").traffic.total_flow);
    expect(((await get("/metrics/bikes")).body as { metrics: Metric[] }).metrics).toHaveLength(3);
  });

  it("puts the daily CSV report in the reports bucket, and its row in the index table", async () => {
    const env = stores.envOf("processor");
    const object = await s3.send(new GetObjectCommand({ Bucket: env.REPORTS_BUCKET, Key: `daily/cityflow-${DAY}.csv` }));
    const csv = (await object.Body?.transformToString()) ?? "";
    const want = expected(DAY);
    expect(csv.split("\n")[0]).toBe("date,metric_type,metric,value");
    expect(csv).toContain(`${DAY},traffic,total_flow,${want.traffic.total_flow}\n`);
    expect(csv).toContain(`${DAY},bikes,total_count,${want.bikes.total_count}\n`);
    expect(csv).toContain(`${DAY},chantiers,by_district.75001,${want.chantiers.by_district["75001"]}\n`);
    const tables = DynamoDBDocumentClient.from(new DynamoDBClient({ ...local, endpoint: env.DYNAMODB_ENDPOINT }));
    const row = await tables.send(new GetCommand({ TableName: env.REPORT_INDEX_TABLE, Key: { date: DAY } }));
    expect(row.Item).toMatchObject({ date: DAY, bucket: env.REPORTS_BUCKET, key: `daily/cityflow-${DAY}.csv`, bytes: Buffer.byteLength(csv) });
    tables.destroy();
    const listed = await get("/reports");
    expect((listed.body as { reports: { date: string }[] }).reports.map((r) => r.date)).toEqual(["2025-11-05", "2025-11-04", "2025-11-03"]);
    const served = await get(`/reports/${DAY}`);
    expect(served.status).toBe(200);
    expect(served.text).toBe(csv);
  });

  it("is idempotent per date: a second run leaves one report and the same metrics", async () => {
    const before = (await get(`/metrics?date=${DAY}`)).body as { metrics: Metric[] };
    const again = await node(["app/processor.mjs", DAY], stores.envOf("processor"));
    expect(again.code).toBe(0);
    const after = (await get(`/metrics?date=${DAY}`)).body as { metrics: Metric[] };
    const strip = (ms: Metric[]) => ms.map(({ updated_at: _, ...m }: Metric & { updated_at?: string }) => m);
    expect(strip(after.metrics)).toEqual(strip(before.metrics));
    const env = stores.envOf("processor");
    const page = await s3.send(new ListObjectsV2Command({ Bucket: env.REPORTS_BUCKET, Prefix: "daily/" }));
    expect(page.Contents?.map((o) => o.Key)).toEqual(["daily/cityflow-2025-11-03.csv", "daily/cityflow-2025-11-04.csv", "daily/cityflow-2025-11-05.csv"]);
  });

  it("answers bad requests with a JSON error and the right status", async () => {
    expect((await get("/health")).body).toEqual({ status: "ok" });
    const unknown = await get("/metrics/weather");
    expect(unknown.status).toBe(404);
    expect((unknown.body as { error: string }).error).toContain("the types are traffic, bikes, comptages, chantiers");
    expect((await get("/metrics?date=2025-11-31")).status).toBe(400);
    expect((await get("/metrics/traffic?from=2025-11-05&to=2025-11-04")).status).toBe(400);
    expect((await get("/reports/2024-01-01")).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${api.port}/metrics`, { method: "POST" })).status).toBe(405);
  });

  it("says which store did not answer when an endpoint is down, without a stack trace", async () => {
    const env = { ...stores.envOf("processor"), DYNAMODB_ENDPOINT: "http://127.0.0.1:9" };
    const result = await node(["app/processor.mjs", DAY], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^processor: error while writing 2025-11-04 .*DynamoDB at http:\/\/127.0.0.1:9.*ECONNREFUSED/m);
    expect(result.stderr).not.toContain("    at ");
  });
});
