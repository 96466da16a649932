/** Hostile input to the DynamoDB endpoint: oversize bodies and fuzzed raw requests never end it. */
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostileRequest } from "../testing/hostile.js";
import { sendRaw, streamUntilAnswered } from "../testing/raw-http.js";
import { DynamoServer, MAX_REQUEST_BYTES } from "./server.js";

const target = (op: string) => `POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-target: DynamoDB_20120810.${op}\r\n`;

describe("the DynamoDB endpoint under hostile input", () => {
  let server: DynamoServer;
  beforeAll(async () => {
    server = new DynamoServer("127.0.0.1", "us-east-1");
    await server.listen(0);
  });
  afterAll(() => server.close());

  it("refuses a body over DynamoDB's 16 MB from its length, before reading it", async () => {
    const answer = await sendRaw(server.port, `${target("PutItem")}content-length: ${1024 ** 3}\r\n\r\n{"TableName":`);
    expect(answer.status).toBe(413);
    expect(answer.text).toContain("RequestEntityTooLarge");
    expect(answer.text).toMatch(/x-amzn-requestid: [0-9A-Z]{52}/i);
  });

  it("stops reading a chunked body at the limit", async () => {
    const { sent, answer } = await streamUntilAnswered(server.port, `${target("BatchWriteItem")}transfer-encoding: chunked\r\n\r\n`, 512 * 1024 * 1024);
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(sent).toBeLessThan(MAX_REQUEST_BYTES + 32 * 1024 * 1024);
  });

  it("answers malformed JSON and unknown operations as DynamoDB does", async () => {
    const bad = await sendRaw(server.port, `${target("PutItem")}content-length: 5\r\nconnection: close\r\n\r\n{"a":`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("SerializationException");
    const unknown = await sendRaw(server.port, `${target("Explode")}content-length: 2\r\nconnection: close\r\n\r\n{}`);
    expect(unknown.text).toContain("UnknownOperationException");
  });

  it("survives fuzzed raw requests, then answers a normal one", async () => {
    const ops = fc.constantFrom("PutItem", "Query", "TransactWriteItems", "TransactGetItems", "CreateTable", "UpdateItem", "BatchWriteItem");
    const json = fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.constantFrom('{"TableName":"t","Item":{"a":{"N":"1e999999"}}}', '{"TransactItems":[{"Put":{}}]}', '{"TableName":"abc","KeySchema":7}'),
    );
    const dynamo = fc.tuple(ops, json).map(([op, body]) => `${target(op)}connection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileRequest, dynamo), async (bytes) => {
        const answer = await sendRaw(server.port, bytes, 1500);
        if (answer.status) answered++;
        expect(answer.status === 0 || (answer.status >= 200 && answer.status < 600)).toBe(true);
      }),
      { numRuns: 400, seed: 13 },
    );
    expect(answered).toBeGreaterThan(300);
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${server.port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    });
    expect((await client.send(new ListTablesCommand({}))).TableNames).toBeDefined();
    client.destroy();
  }, 120_000);
});
