/** What the engine change brought, driven by the AWS SDK against a started table. */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DynamoDBClient, PutItemCommand, QueryCommand as RawQuery, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startResource } from "../index.js";
import { contextFor, resourceFrom, stateDir } from "../testing/index.js";
import type { LocalResource } from "../types.js";

const YAML = `name: test
resources:
  orders:
    type: table
    key: { hash: customer, range: at }
    attributes: { at: number, total: number }
    indexes:
      by-status: { hash: status, range: total }
      by-total: { local: true, range: total, projection: keys }
  counters: { type: table, key: { hash: id, range: n }, attributes: { n: number } }
`;
const credentials = { accessKeyId: "a", secretAccessKey: "b" };

describe("local DynamoDB: exact numbers, key types, indexes, legacy parameters, transactions", () => {
  let state: Awaited<ReturnType<typeof stateDir>>;
  let orders: LocalResource;
  let counters: LocalResource;
  let raw: DynamoDBClient;
  let doc: DynamoDBDocumentClient;
  const start = async () => {
    orders = await startResource(resourceFrom(YAML, "orders"), contextFor(join(state.dir, "orders")));
    counters = await startResource(resourceFrom(YAML, "counters"), contextFor(join(state.dir, "counters")));
    raw = new DynamoDBClient({ endpoint: orders.attributes.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
    doc = DynamoDBDocumentClient.from(raw);
  };
  beforeAll(async () => {
    state = await stateDir("dynamo-behaviour");
    await start();
  });
  afterAll(async () => {
    await orders?.close();
    await counters?.close();
    await state.remove();
  });
  const TableName = "test-local-orders";
  const Counters = "test-local-counters";

  it("keeps numbers as exact decimals: two 20-digit keys are two items, 0015.50 reads as 15.5", async () => {
    for (const n of ["12345678901234567890", "12345678901234567891"]) {
      await raw.send(new PutItemCommand({ TableName: Counters, Item: { id: { S: "big" }, n: { N: n }, v: { N: "0015.50" } } }));
    }
    const found = await raw.send(new RawQuery({ TableName: Counters, KeyConditionExpression: "id = :id", ExpressionAttributeValues: { ":id": { S: "big" } } }));
    expect(found.Items?.map((i) => i.n?.N)).toEqual(["12345678901234567890", "12345678901234567891"]);
    expect(found.Items?.[0]?.v?.N).toBe("15.5");
    const sum = await raw.send(
      new (await import("@aws-sdk/client-dynamodb")).UpdateItemCommand({
        TableName: Counters,
        Key: { id: { S: "big" }, n: { N: "12345678901234567890" } },
        UpdateExpression: "ADD v :d",
        ExpressionAttributeValues: { ":d": { N: "0.000000000000000000000000000000000001" } },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    expect(sum.Attributes?.v?.N).toBe("15.500000000000000000000000000000000001");
  });

  it("refuses a string in a numeric key, with DynamoDB's message", async () => {
    const error = await raw.send(new PutItemCommand({ TableName: Counters, Item: { id: { S: "x" }, n: { S: "one" } } })).catch((e) => e);
    expect(error.name).toBe("ValidationException");
    expect(error.message).toMatch(/Type mismatch for key n expected: N actual: S/);
  });

  it("queries the stack file's global and local indexes", async () => {
    const put = (customer: string, at: number, status: string, total: number) =>
      doc.send(new PutCommand({ TableName, Item: { customer, at, status, total, note: `${customer}-${at}` } }));
    await put("ana", 1, "paid", 30);
    await put("ana", 2, "open", 10);
    await put("bob", 1, "paid", 20);
    const paid = await doc.send(
      new QueryCommand({
        TableName,
        IndexName: "by-status",
        KeyConditionExpression: "#s = :s",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":s": "paid" },
      }),
    );
    expect(paid.Items?.map((i) => [i.customer, i.total])).toEqual([
      ["bob", 20],
      ["ana", 30],
    ]);
    const cheap = await doc.send(
      new QueryCommand({
        TableName,
        IndexName: "by-total",
        KeyConditionExpression: "customer = :c AND #t < :t",
        ExpressionAttributeNames: { "#t": "total" },
        ExpressionAttributeValues: { ":c": "ana", ":t": 20 },
      }),
    );
    // A keys-only local index holds the table's and the index's keys, nothing else.
    expect(cheap.Items).toEqual([{ customer: "ana", at: 2, total: 10 }]);
  });

  it("honours the legacy Expected parameter instead of writing unconditionally", async () => {
    const error = await raw
      .send(new PutItemCommand({ TableName: Counters, Item: { id: { S: "big" }, n: { N: "12345678901234567890" } }, Expected: { id: { Exists: false } } }))
      .catch((e) => e);
    expect(error.name).toBe("ConditionalCheckFailedException");
    expect((await doc.send(new GetCommand({ TableName: Counters, Key: { id: "big", n: 12345678901234567890n } }))).Item?.v).toBeDefined();
  });

  it("keeps transactions atomic under concurrent writers", async () => {
    // Two accounts hold 100 in all; 40 transfers of 1 race 40 plain overwrites of a third item.
    await doc.send(new PutCommand({ TableName: Counters, Item: { id: "acct", n: 1, balance: 50 } }));
    await doc.send(new PutCommand({ TableName: Counters, Item: { id: "acct", n: 2, balance: 50 } }));
    const transfer = () =>
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: Counters,
                Key: { id: "acct", n: 1 },
                UpdateExpression: "SET balance = balance - :one",
                ConditionExpression: "balance >= :one",
                ExpressionAttributeValues: { ":one": 1 },
              },
            },
            {
              Update: {
                TableName: Counters,
                Key: { id: "acct", n: 2 },
                UpdateExpression: "SET balance = balance + :one",
                ExpressionAttributeValues: { ":one": 1 },
              },
            },
          ],
        }),
      );
    const overwrite = (i: number) => doc.send(new PutCommand({ TableName: Counters, Item: { id: "acct", n: 3, i } }));
    const sums: number[] = [];
    const reads = async () => {
      for (let i = 0; i < 20; i++) {
        const both = await doc.send(
          new TransactGetCommand({
            TransactItems: [{ Get: { TableName: Counters, Key: { id: "acct", n: 1 } } }, { Get: { TableName: Counters, Key: { id: "acct", n: 2 } } }],
          }),
        );
        sums.push((both.Responses ?? []).reduce((n, r) => n + Number(r.Item?.balance ?? 0), 0));
      }
    };
    await Promise.all([...Array.from({ length: 40 }, transfer), ...Array.from({ length: 40 }, (_, i) => overwrite(i)), reads()]);
    const one = await doc.send(new GetCommand({ TableName: Counters, Key: { id: "acct", n: 1 } }));
    const two = await doc.send(new GetCommand({ TableName: Counters, Key: { id: "acct", n: 2 } }));
    expect([one.Item?.balance, two.Item?.balance]).toEqual([10, 90]);
    expect(new Set(sums)).toEqual(new Set([100]));
  });

  it("cancels a whole transaction when one condition fails, with the reasons, and refuses two operations on one item", async () => {
    const error = await raw
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: Counters, Item: { id: { S: "t" }, n: { N: "1" } } } },
            {
              ConditionCheck: {
                TableName: Counters,
                Key: { id: { S: "acct" }, n: { N: "1" } },
                ConditionExpression: "balance > :b",
                ExpressionAttributeValues: { ":b": { N: "1000" } },
              },
            },
          ],
        }),
      )
      .catch((e) => e);
    expect(error.name).toBe("TransactionCanceledException");
    expect(error.CancellationReasons.map((r: { Code: string }) => r.Code)).toEqual(["None", "ConditionalCheckFailed"]);
    expect((await doc.send(new GetCommand({ TableName: Counters, Key: { id: "t", n: 1 } }))).Item).toBeUndefined();
    const twice = await raw
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: Counters, Item: { id: { S: "t" }, n: { N: "1" } } } },
            { Delete: { TableName: Counters, Key: { id: { S: "t" }, n: { N: "1" } } } },
          ],
        }),
      )
      .catch((e) => e);
    expect(twice.message).toBe("Transaction request cannot include multiple operations on one item");
  });

  it("keeps items and indexes across a restart, and rebuilds the indexes when the stack file changes them", async () => {
    await orders.close();
    await counters.close();
    await start();
    expect((await doc.send(new ScanCommand({ TableName, Select: "COUNT" }))).Count).toBe(3);
    await orders.close();
    const changed = YAML.replace("by-status: { hash: status, range: total }", "by-note: { hash: note }");
    orders = await startResource(resourceFrom(changed, "orders"), contextFor(join(state.dir, "orders")));
    const byNote = await doc.send(
      new QueryCommand({ TableName, IndexName: "by-note", KeyConditionExpression: "note = :n", ExpressionAttributeValues: { ":n": "bob-1" } }),
    );
    expect(byNote.Items?.map((i) => i.customer)).toEqual(["bob"]);
    const gone = await doc
      .send(
        new QueryCommand({
          TableName,
          IndexName: "by-status",
          KeyConditionExpression: "#s = :s",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":s": "paid" },
        }),
      )
      .catch((e) => e);
    expect(gone.name).toBe("ValidationException");
    await doc.send(
      new UpdateCommand({ TableName, Key: { customer: "ana", at: 1 }, UpdateExpression: "SET note = :n", ExpressionAttributeValues: { ":n": "changed" } }),
    );
    expect((await doc.send(new GetCommand({ TableName, Key: { customer: "ana", at: 1 } }))).Item?.note).toBe("changed");
  });

  it("reads the files of an older Cairn and keeps them, renamed", async () => {
    const yaml = "name: test\nresources:\n  t: { type: table, key: { hash: id } }\n";
    const dataDir = join(state.dir, "older");
    await mkdir(join(dataDir, "data"), { recursive: true });
    await writeFile(join(dataDir, "table.json"), JSON.stringify({ name: "test-local-t", hash: "id", range: null }));
    await writeFile(join(dataDir, "data", "items.json"), JSON.stringify([{ id: { S: "a" }, v: { N: "1" } }, { id: { S: "b" } }]));
    await writeFile(
      join(dataDir, "data", "log.jsonl"),
      `${JSON.stringify({ del: { id: { S: "b" } } })}\n${JSON.stringify({ put: { id: { S: "c" } } })}\n{"put":`,
    );
    const table = await startResource(resourceFrom(yaml, "t"), contextFor(dataDir));
    const c = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: table.attributes.endpoint, region: "us-east-1", credentials }));
    const scan = await c.send(new ScanCommand({ TableName: "test-local-t" }));
    expect(scan.Items?.map((i) => i.id).sort()).toEqual(["a", "c"]);
    expect((await readdir(join(dataDir, "data"))).filter((f) => f.endsWith(".migrated")).sort()).toEqual(["items.json.migrated", "log.jsonl.migrated"]);
    await table.close();
  });
});
