/**
 * Hostile clients against a real `cairn up` in a child process: 5,000 fuzzed requests (fast-check) over
 * raw TCP to each endpoint (the gateway, S3, DynamoDB) and 5,000 fuzzed byte sequences to the Postgres
 * wire port. After each volley the process is the same one and a normal request still answers.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../ports.js";
import { hostileRequest, hostileWire } from "../resources/testing/hostile.js";
import { sendMany, sendRaw, streamUntilAnswered, type Volley } from "../resources/testing/raw-http.js";
import { type CliProcess, removeDir, startCli, waitFor } from "./test-helpers.js";

/** Requests (or byte sequences) per endpoint. */
const HOSTILE = 5_000;
/** Bounds of one volley: connections at once, wait for one answer, and the whole volley. */
const VOLLEY = { concurrency: 24, ms: 500, budgetMs: 120_000 };
const app = join(import.meta.dirname, "..", "supervisor", "test-app.mjs");

/** A fixed sample of `count` values (fast-check, seeded: the same bytes every run). */
const sample = <T>(arbitrary: fc.Arbitrary<T>, count: number, seed: number): T[] => fc.sample(arbitrary, { numRuns: count, seed });

describe("cairn up under hostile clients", { timeout: 240_000 }, () => {
  let dir: string;
  let up: CliProcess;
  let pid: number;
  const ports: Record<string, number> = {};

  /** The pid cairn up records, checked against the child we started: the same process still runs it. */
  const samePid = () => {
    const runner = JSON.parse(readFileSync(join(dir, ".cairn", "local", "runner.json"), "utf8")) as { pid: number };
    return runner.pid === pid && up.child.exitCode === null && up.child.signalCode === null;
  };
  const endpointPort = (name: string) =>
    (JSON.parse(readFileSync(join(dir, ".cairn", "local", "resources", name, "endpoint.json"), "utf8")) as { port: number }).port;
  const volley = async (port: number, requests: Buffer[], end = false): Promise<Volley> => {
    const result = await sendMany(port, requests, { ...VOLLEY, deadline: Date.now() + VOLLEY.budgetMs, end });
    // Every request went out within the bound: a volley cut short by the deadline fails here.
    expect(result.sent).toBe(requests.length);
    if (process.env.CAIRN_FUZZ_COUNTS) process.stderr.write(`fuzz ${port}: ${JSON.stringify({ ...result, statuses: [...result.statuses] })}\n`);
    return result;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cairn-hostile-"));
    const [edge, web] = [await freePort(), await freePort()];
    writeFileSync(
      join(dir, "cairn.yaml"),
      `name: hostile
services:
  web:
    run: node ${app}
    port: ${web}
    sticky: 1h
    health: { path: /health, interval: 200ms, healthy: 1 }
routes: [{ path: /, to: web }]
resources:
  files: { type: bucket }
  items: { type: table, key: { hash: id } }
  db: { type: postgres }
edge: { port: ${edge} }
`,
    );
    up = startCli(["up"], { cwd: dir, env: { CAIRN_POSTGRES: "embedded" } });
    await waitFor(() => up.stdout().includes("Ctrl-C stops everything") || up.child.exitCode !== null, 120_000, "cairn up to start");
    expect(up.stderr()).toBe("");
    pid = up.child.pid ?? 0;
    ports.gateway = edge;
    ports.s3 = endpointPort("files");
    ports.dynamodb = endpointPort("items");
    ports.postgres = endpointPort("db");
    expect(samePid()).toBe(true);
  }, 150_000);

  afterAll(async () => {
    if (up && up.child.exitCode === null) {
      up.child.kill("SIGINT");
      await up.exited;
    }
    if (dir) removeDir(dir);
  });

  it("the gateway: 5,000 hostile requests (paths, heads, cookies, bodies), then a normal one", async () => {
    const cases = [
      Buffer.from("GET / HTTP/1.1\r\nhost: localhost\r\ncookie: cairn_web=%\r\n\r\n"),
      Buffer.from("GET // HTTP/1.1\r\nhost: localhost\r\n\r\n"),
      ...sample(hostileRequest, HOSTILE - 2, 1201),
    ];
    const result = await volley(ports.gateway as number, cases);
    expect(result.answered).toBeGreaterThan(HOSTILE / 2);
    expect(samePid()).toBe(true);
    const normal = await sendRaw(ports.gateway as number, "GET / HTTP/1.1\r\nhost: localhost\r\ncookie: cairn_web=%\r\nconnection: close\r\n\r\n");
    expect(normal.status).toBe(200);
    expect(normal.text).toContain("hello from");
  });

  it("the S3 endpoint: 5,000 hostile requests, then a normal one", async () => {
    const cases = [
      Buffer.from("GET /% HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n"),
      Buffer.from("GET // HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n"),
      ...sample(hostileRequest, HOSTILE - 2, 1202),
    ];
    const result = await volley(ports.s3 as number, cases);
    expect(result.answered).toBeGreaterThan(HOSTILE / 2);
    expect(result.statuses.get(500) ?? 0).toBe(0);
    expect(samePid()).toBe(true);
    const normal = await sendRaw(ports.s3 as number, "GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n");
    expect(normal.status).toBe(200);
    expect(normal.text).toContain("<Name>hostile-local-files</Name>");
  });

  it("the DynamoDB endpoint: 5,000 hostile requests, then a normal one", async () => {
    const op = fc.constantFrom("PutItem", "Query", "TransactWriteItems", "CreateTable", "UpdateItem", "BatchWriteItem", "Scan");
    const body = fc.oneof(
      fc.json({ maxDepth: 3 }),
      fc.constantFrom('{"TableName":"hostile-local-items","Item":{"id":{"S":"1e999"}}}', '{"TransactItems":[{"Put":{}}]}'),
    );
    const dynamo = fc
      .tuple(op, body)
      .map(([o, b]) =>
        Buffer.from(
          `POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-target: DynamoDB_20120810.${o}\r\ncontent-length: ${Buffer.byteLength(b)}\r\n\r\n${b}`,
        ),
      );
    const result = await volley(ports.dynamodb as number, sample(fc.oneof(hostileRequest, dynamo), HOSTILE, 1203));
    expect(result.answered).toBeGreaterThan(HOSTILE / 2);
    expect(samePid()).toBe(true);
    const list = '{"Limit":10}';
    const normal = await sendRaw(
      ports.dynamodb as number,
      `POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-target: DynamoDB_20120810.ListTables\r\ncontent-length: ${list.length}\r\nconnection: close\r\n\r\n${list}`,
    );
    expect(normal.status).toBe(200);
    expect(normal.text).toContain('"TableNames":[');
  });

  it("refuses oversize bodies on S3's XML paths and on DynamoDB before reading them, in bounded memory", async () => {
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
    const before = rss();
    const bucket = "hostile-local-files";
    const dynamo = "POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-target: DynamoDB_20120810.BatchWriteItem\r\n";
    // A declared length past the limit: the answer comes while only the head has been sent.
    for (const [port, head, code] of [
      [ports.s3, "PUT /another-bucket HTTP/1.1\r\nhost: 127.0.0.1\r\n", "MaxMessageLengthExceeded"],
      [ports.s3, `POST /${bucket}?delete HTTP/1.1\r\nhost: 127.0.0.1\r\n`, "MaxMessageLengthExceeded"],
      [ports.dynamodb, dynamo, "RequestEntityTooLarge"],
    ] as const) {
      const answer = await sendRaw(port as number, `${head}content-length: ${1024 ** 3}\r\n\r\n`, 5_000);
      expect(answer.status, head).toBeGreaterThanOrEqual(400);
      expect(answer.text, head).toContain(code);
    }
    // No declared length (chunked): reading stops at the limit; what went out before the answer stays near it.
    for (const [port, head] of [
      [ports.s3, `POST /${bucket}?delete HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n\r\n`],
      [ports.s3, `POST /${bucket}/k?uploadId=none HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n\r\n`],
      [ports.dynamodb, `${dynamo}transfer-encoding: chunked\r\n\r\n`],
    ] as const) {
      const { sent, answer } = await streamUntilAnswered(port as number, head, 256 * 1024 * 1024);
      // The server answers and closes while the client still writes: the reset may lose the answer on
      // the client's side. What matters is that the server stopped reading (and still runs, below).
      expect(answer === "" || /^HTTP\/1\.1 4\d\d /.test(answer), `${head}: ${answer.slice(0, 80)}`).toBe(true);
      expect(sent, head).toBeLessThan(64 * 1024 * 1024);
    }
    expect(samePid()).toBe(true);
    expect(rss() - before).toBeLessThan(150 * 1024 * 1024);
  });

  it("the Postgres wire port: 5,000 hostile byte sequences, then a normal client", async () => {
    const endpoint = JSON.parse(readFileSync(join(dir, ".cairn", "local", "resources", "db", "endpoint.json"), "utf8")) as { attributes: { url: string } };
    const password = decodeURIComponent(new URL(endpoint.attributes.url).password);
    const result = await volley(ports.postgres as number, sample(hostileWire(password), HOSTILE, 1204), true);
    expect(result.replied).toBeGreaterThan(HOSTILE / 4);
    expect(samePid()).toBe(true);
    const client = new pg.Client({ connectionString: endpoint.attributes.url });
    await client.connect();
    expect((await client.query("SELECT 41 + 1 AS n")).rows).toEqual([{ n: 42 }]);
    await client.end();
  });
});
