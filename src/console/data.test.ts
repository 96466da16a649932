/**
 * The data page's API on a running stack with a real Postgres and a real Redis: tables with row
 * counts, a read-only query (a write is refused by the transaction, a second statement by the
 * protocol), and Redis keys by pattern. The rows are written as the application would.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "../runtime/stack-runner/session.js";
import type { Console } from "./console.js";
import { RespClient } from "./data/resp.js";
import { login, startWithConsole } from "./testing/stack.js";

let session: Session;
let server: Console;
let auth: { cookie: string; csrf: string };
const base = () => `http://127.0.0.1:${server.port}`;
const get = async (path: string) => {
  const answer = await fetch(`${base()}${path}`, { headers: { cookie: auth.cookie } });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
};
const query = async (sql: string) => {
  const answer = await fetch(`${base()}/api/data/postgres/db/query`, {
    method: "POST",
    headers: { cookie: auth.cookie, "x-csrf-token": auth.csrf, "content-type": "application/json" },
    body: JSON.stringify({ sql }),
  });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  ({ session, console: server } = await startWithConsole(`name: stores
resources:
  db: { type: postgres }
  cache: { type: redis }
`));
  auth = await login(server);
  const attributes = (name: string) => session.runner.parts.resources.get(name)?.attributes ?? {};
  const client = new pg.Client({ connectionString: attributes("db").url });
  await client.connect();
  await client.query("CREATE TABLE trips (id int PRIMARY KEY, city text)");
  await client.query("INSERT INTO trips SELECT g, 'Paris' FROM generate_series(1, 600) AS g");
  await client.end();
  const url = new URL(attributes("cache").url ?? "");
  const redis = await RespClient.open(url.hostname, Number(url.port));
  await redis.command(["AUTH", decodeURIComponent(url.password)]);
  for (const key of ["user:1", "user:2", "session:9"]) await redis.command(["SET", key, "x"]);
  await redis.command(["LPUSH", "user:queue", "a"]);
  redis.close();
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe("the data API", () => {
  it("lists the stores, then Postgres tables with their row counts", async () => {
    expect((await get("/api/data")).body.stores).toEqual([
      { name: "db", type: "postgres", physicalName: null },
      { name: "cache", type: "redis", physicalName: null },
    ]);
    expect((await get("/api/data/postgres/db")).body.tables).toEqual([{ schema: "public", table: "trips", rows: 600 }]);
  });

  it("runs a read-only query, at most 500 rows, and refuses writes and a second statement", async () => {
    const read = await query("SELECT id, city FROM trips ORDER BY id;");
    expect(read.status).toBe(200);
    expect(read.body.columns).toEqual(["id", "city"]);
    expect((read.body.rows as unknown[]).length).toBe(500);
    expect(read.body.truncated).toBe(true);
    const write = await query("INSERT INTO trips VALUES (1000, 'Lyon') RETURNING id");
    expect(write.status).toBe(422);
    const twice = await query("SELECT 1) q; DELETE FROM trips; SELECT (1");
    expect(twice.status).toBe(422);
    expect((await query("SELECT count(*)::int AS n FROM trips")).body.rows).toEqual([[600]]);
  });

  it("lists Redis keys by pattern with their types", async () => {
    const keys = await get(`/api/data/redis/cache?pattern=${encodeURIComponent("user:*")}`);
    expect(keys.body).toEqual({
      keys: [
        { key: "user:1", type: "string" },
        { key: "user:2", type: "string" },
        { key: "user:queue", type: "list" },
      ],
      complete: true,
    });
  });

  it("answers 404 for a store that is not there", async () => {
    expect((await get("/api/data/postgres/nope")).status).toBe(404);
    expect((await get("/api/data/bucket/db")).status).toBe(404);
  });
});
