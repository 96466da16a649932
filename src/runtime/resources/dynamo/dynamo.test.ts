import { readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startResource } from "../index.js";
import { contextFor, holdInChild, killHolder, resourceFrom, stateDir } from "../testing/index.js";
import { type LocalResource, ResourceError } from "../types.js";

const YAML = `name: test
resources:
  metrics: { type: table, key: { hash: metric_type, range: date } }
  reports: { type: table, key: { hash: date } }
`;
const clients = (endpoint: string) => {
  const raw = new DynamoDBClient({ endpoint, region: "eu-west-3", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  return { raw, doc: DynamoDBDocumentClient.from(raw) };
};
const TableName = "test-local-metrics";

describe("local DynamoDB table, driven by the AWS SDK", () => {
  let state: Awaited<ReturnType<typeof stateDir>>;
  let metrics: LocalResource;
  let reports: LocalResource;
  let doc: DynamoDBDocumentClient;
  let raw: DynamoDBClient;
  const start = async () => {
    metrics = await startResource(resourceFrom(YAML, "metrics"), contextFor(join(state.dir, "metrics")));
    reports = await startResource(resourceFrom(YAML, "reports"), contextFor(join(state.dir, "reports")));
    ({ doc, raw } = clients(metrics.attributes.endpoint as string));
  };
  beforeAll(async () => {
    state = await stateDir("dynamo");
    await start();
  });
  afterAll(async () => {
    await metrics?.close();
    await reports?.close();
    await state.remove();
  });

  it("creates the declared tables with their keys, on one endpoint", async () => {
    expect(metrics.attributes).toEqual({ name: TableName, endpoint: reports.attributes.endpoint, region: "us-east-1" });
    const tables = await raw.send(new ListTablesCommand({}));
    expect(tables.TableNames).toEqual(["test-local-metrics", "test-local-reports"]);
    const described = await raw.send(new DescribeTableCommand({ TableName }));
    expect(described.Table?.KeySchema).toEqual([
      { AttributeName: "metric_type", KeyType: "HASH" },
      { AttributeName: "date", KeyType: "RANGE" },
    ]);
    const again = await raw
      .send(
        new CreateTableCommand({
          TableName,
          KeySchema: [{ AttributeName: "metric_type", KeyType: "HASH" }],
          AttributeDefinitions: [{ AttributeName: "metric_type", AttributeType: "S" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      )
      .catch((e) => e);
    expect(again.name).toBe("ResourceInUseException");
  });

  it("puts, gets, updates and deletes items, with conditions", async () => {
    await doc.send(new PutCommand({ TableName, Item: { metric_type: "bikes", date: "2025-11-04", total: 120, by_hour: [1, 2], meta: { source: "paris" } } }));
    const got = await doc.send(new GetCommand({ TableName, Key: { metric_type: "bikes", date: "2025-11-04" } }));
    expect(got.Item).toEqual({ metric_type: "bikes", date: "2025-11-04", total: 120, by_hour: [1, 2], meta: { source: "paris" } });
    const dup = await doc
      .send(new PutCommand({ TableName, Item: { metric_type: "bikes", date: "2025-11-04" }, ConditionExpression: "attribute_not_exists(metric_type)" }))
      .catch((e) => e);
    expect(dup.name).toBe("ConditionalCheckFailedException");
    const updated = await doc.send(
      new UpdateCommand({
        TableName,
        Key: { metric_type: "bikes", date: "2025-11-04" },
        UpdateExpression:
          "SET #t = #t + :n, runs = if_not_exists(runs, :zero) + :one, meta.#s = :s, by_hour = list_append(by_hour, :more) REMOVE obsolete ADD seen :one",
        ExpressionAttributeNames: { "#t": "total", "#s": "status" },
        ExpressionAttributeValues: { ":n": 5, ":zero": 0, ":one": 1, ":s": "done", ":more": [3] },
        ReturnValues: "ALL_NEW",
      }),
    );
    expect(updated.Attributes).toEqual({
      metric_type: "bikes",
      date: "2025-11-04",
      total: 125,
      runs: 1,
      seen: 1,
      by_hour: [1, 2, 3],
      meta: { source: "paris", status: "done" },
    });
    const keyChange = await doc
      .send(
        new UpdateCommand({
          TableName,
          Key: { metric_type: "bikes", date: "2025-11-04" },
          UpdateExpression: "SET #d = :d",
          ExpressionAttributeNames: { "#d": "date" },
          ExpressionAttributeValues: { ":d": "x" },
        }),
      )
      .catch((e) => e);
    expect(keyChange.name).toBe("ValidationException");
    const old = await doc.send(new DeleteCommand({ TableName, Key: { metric_type: "bikes", date: "2025-11-04" }, ReturnValues: "ALL_OLD" }));
    expect(old.Attributes?.total).toBe(125);
    expect((await doc.send(new GetCommand({ TableName, Key: { metric_type: "bikes", date: "2025-11-04" } }))).Item).toBeUndefined();
    const noKey = await doc.send(new PutCommand({ TableName, Item: { date: "2025-11-04" } })).catch((e) => e);
    expect(noKey.name).toBe("ValidationException");
  });

  it("writes and reads in batches, queries by key condition with order and pages, and scans with a filter", async () => {
    const days = Array.from({ length: 10 }, (_, i) => `2025-11-${String(i + 1).padStart(2, "0")}`);
    const items = days.flatMap((date, i) => [
      { metric_type: "traffic", date, flow: 100 + i },
      { metric_type: "bikes", date, flow: 10 + i },
    ]);
    await doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: items.slice(0, 20).map((Item) => ({ PutRequest: { Item } })) } }));
    const range = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: "metric_type = :t AND #d BETWEEN :a AND :b",
        ExpressionAttributeNames: { "#d": "date" },
        ExpressionAttributeValues: { ":t": "traffic", ":a": "2025-11-03", ":b": "2025-11-05" },
      }),
    );
    expect(range.Items?.map((i) => i.flow)).toEqual([102, 103, 104]);
    const latest = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: "metric_type = :t AND #d < :b",
        ExpressionAttributeNames: { "#d": "date" },
        ExpressionAttributeValues: { ":t": "bikes", ":b": "2025-11-04" },
        ScanIndexForward: false,
        Limit: 2,
      }),
    );
    expect(latest.Items?.map((i) => i.date)).toEqual(["2025-11-03", "2025-11-02"]);
    expect(latest.LastEvaluatedKey).toEqual({ metric_type: "bikes", date: "2025-11-02" });
    const rest = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: "metric_type = :t AND #d < :b",
        ExpressionAttributeNames: { "#d": "date" },
        ExpressionAttributeValues: { ":t": "bikes", ":b": "2025-11-04" },
        ScanIndexForward: false,
        Limit: 2,
        ExclusiveStartKey: latest.LastEvaluatedKey,
      }),
    );
    expect(rest.Items?.map((i) => i.date)).toEqual(["2025-11-01"]);
    expect(rest.LastEvaluatedKey).toBeUndefined();
    const prefix = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: "metric_type = :t AND begins_with(#d, :p)",
        ExpressionAttributeNames: { "#d": "date" },
        ExpressionAttributeValues: { ":t": "traffic", ":p": "2025-11-1" },
      }),
    );
    expect(prefix.Count).toBe(1);
    const filtered = await doc.send(
      new ScanCommand({
        TableName,
        FilterExpression: "flow >= :f AND metric_type <> :b",
        ExpressionAttributeValues: { ":f": 108, ":b": "bikes" },
        ProjectionExpression: "#d, flow",
        ExpressionAttributeNames: { "#d": "date" },
      }),
    );
    expect(filtered.Items).toEqual([
      { date: "2025-11-09", flow: 108 },
      { date: "2025-11-10", flow: 109 },
    ]);
    let scanned = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName, Limit: 7, ExclusiveStartKey: start }));
      scanned += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    expect(scanned).toBe(20);
    const batch = await doc.send(
      new BatchGetCommand({
        RequestItems: {
          [TableName]: {
            Keys: [
              { metric_type: "bikes", date: "2025-11-01" },
              { metric_type: "bikes", date: "1999-01-01" },
            ],
          },
        },
      }),
    );
    expect(batch.Responses?.[TableName]).toEqual([{ metric_type: "bikes", date: "2025-11-01", flow: 10 }]);
  });

  it("keeps items across close and start", async () => {
    await doc.send(new PutCommand({ TableName: "test-local-reports", Item: { date: "2025-11-04", key: "reports/2025-11-04.csv" } }));
    await metrics.close();
    await reports.close();
    expect(await metrics.healthy()).toBe(false);
    await start();
    const count = await doc.send(new ScanCommand({ TableName, Select: "COUNT" }));
    expect(count.Count).toBe(20);
    expect((await doc.send(new GetCommand({ TableName: "test-local-reports", Key: { date: "2025-11-04" } }))).Item?.key).toBe("reports/2025-11-04.csv");
  });

  it("keeps items when the process serving them is killed with SIGKILL, ignoring a torn last line", async () => {
    const yaml = "name: test\nresources:\n  t: { type: table, key: { hash: id } }\n";
    const dataDir = join(state.dir, "crash", "t");
    const holder = await holdInChild(yaml, "t", dataDir);
    const c = clients(holder.attributes.endpoint as string).doc;
    for (let i = 0; i < 30; i++) await c.send(new PutCommand({ TableName: "test-local-t", Item: { id: `k${i}`, n: i } }));
    const busy = await startResource(resourceFrom(yaml, "t"), contextFor(dataDir)).catch((e) => e);
    expect(busy).toBeInstanceOf(ResourceError);
    expect(busy.message).toContain(`already served by process ${holder.process.pid}`);
    await killHolder(holder);
    await writeFile(join(dataDir, "data", "journal.jsonl"), `${await readFile(join(dataDir, "data", "journal.jsonl"), "utf8")}["item-test-local-t~tor`);
    const again = await startResource(resourceFrom(yaml, "t"), contextFor(dataDir));
    const scan = await clients(again.attributes.endpoint as string).doc.send(new ScanCommand({ TableName: "test-local-t" }));
    expect(scan.Count).toBe(30);
    await again.close();
  });

  it("answers a clear error when the disk is full, and neither loses nor invents items", async () => {
    const yaml = "name: test\nresources:\n  t: { type: table, key: { hash: id } }\n";
    const dataDir = join(state.dir, "full", "t");
    const table = await startResource(resourceFrom(yaml, "t"), contextFor(dataDir));
    const c = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: table.attributes.endpoint, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "a", secretAccessKey: "b" } }),
    );
    await c.send(new PutCommand({ TableName: "test-local-t", Item: { id: "kept", n: 1 } }));
    // /dev/full fails every write with ENOSPC, as a full disk does.
    const log = join(dataDir, "data", "journal.jsonl");
    const saved = await readFile(log, "utf8");
    await rm(log);
    await symlink("/dev/full", log);
    const error = await c.send(new PutCommand({ TableName: "test-local-t", Item: { id: "lost", n: 2 } })).catch((e) => e);
    expect(error.name).toBe("InternalServerError");
    expect(error.message).toContain("disk holding the local table is full");
    await rm(log);
    await writeFile(log, saved);
    expect((await c.send(new GetCommand({ TableName: "test-local-t", Key: { id: "lost" } }))).Item).toBeUndefined();
    expect((await c.send(new GetCommand({ TableName: "test-local-t", Key: { id: "kept" } }))).Item).toEqual({ id: "kept", n: 1 });
    await table.close();
  });

  it("keeps every write made while its snapshot is rewritten, across a restart", async () => {
    const yaml = "name: test\nresources:\n  t: { type: table, key: { hash: id } }\n";
    const dataDir = join(state.dir, "snapshot", "t");
    const table = await startResource(resourceFrom(yaml, "t"), contextFor(dataDir));
    const c = clients(table.attributes.endpoint as string).doc;
    // 6,000 items in concurrent batches: the journal passes its 5,000 lines and is compacted while writes arrive.
    const batches = Array.from({ length: 240 }, (_, b) =>
      Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { id: `item-${b * 25 + i}`, n: b * 25 + i } } })),
    );
    for (let i = 0; i < batches.length; i += 12)
      await Promise.all(batches.slice(i, i + 12).map((RequestItems) => c.send(new BatchWriteCommand({ RequestItems: { "test-local-t": RequestItems } }))));
    await table.close();
    const again = await startResource(resourceFrom(yaml, "t"), contextFor(dataDir));
    const d = clients(again.attributes.endpoint as string).doc;
    const ids = new Set<string>();
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await d.send(new ScanCommand({ TableName: "test-local-t", ExclusiveStartKey }));
      for (const item of page.Items ?? []) ids.add(item.id as string);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    expect(ids.size).toBe(6000);
    expect((await d.send(new GetCommand({ TableName: "test-local-t", Key: { id: "item-5999" } }))).Item).toEqual({ id: "item-5999", n: 5999 });
    await again.close();
  });

  it("refuses data written with other keys, and leaves it as it was", async () => {
    const dataDir = join(state.dir, "metrics");
    const before = await readFile(join(dataDir, "table.json"), "utf8");
    await metrics.close();
    const changed = resourceFrom("name: c\nresources:\n  metrics: { type: table, key: { hash: id } }\n", "metrics");
    const error = await startResource(changed, contextFor(dataDir)).catch((e) => e);
    expect(error).toBeInstanceOf(ResourceError);
    expect(error.message).toContain("metric_type + date");
    expect(await readFile(join(dataDir, "table.json"), "utf8")).toBe(before);
  });
});
