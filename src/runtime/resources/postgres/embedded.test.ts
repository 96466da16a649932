import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEndpoint } from "../endpoint.js";
import { startResource } from "../index.js";
import { contextFor, holdInChild, killHolder, resourceFrom, stateDir } from "../testing/index.js";
import { ResourceError } from "../types.js";

const YAML = "name: t\nresources:\n  db: { type: postgres, extensions: [pg_trgm] }\n";

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describe("embedded Postgres (PGlite over the wire protocol)", () => {
  let state: Awaited<ReturnType<typeof stateDir>>;
  beforeAll(async () => {
    state = await stateDir("pglite");
    process.env.CAIRN_POSTGRES = "embedded";
  });
  afterAll(async () => {
    delete process.env.CAIRN_POSTGRES;
    await state.remove();
  });

  it("answers pg clients, with parameters, transactions and several connections, and keeps data", async () => {
    const dataDir = join(state.dir, "db");
    const lines: string[] = [];
    const first = await startResource(resourceFrom(YAML, "db"), contextFor(dataDir, dataDir, lines));
    expect((await readEndpoint(dataDir))?.engine).toBe("embedded");
    const url = first.attributes.url as string;
    await withClient(url, async (c) => {
      await c.query("CREATE TABLE items (id int PRIMARY KEY, name text)");
      await c.query("INSERT INTO items VALUES ($1, $2), ($3, $4)", [1, "one", 2, "two"]);
      await c.query("BEGIN");
      await c.query("INSERT INTO items VALUES (3, 'rolled back')");
      await c.query("ROLLBACK");
      expect((await c.query("SELECT similarity('word', 'words') > 0.5 AS close")).rows).toEqual([{ close: true }]);
      // No role to hold the app to, and no program to run (WASM); COPY ... PROGRAM would wedge PGlite, so it is refused.
      const copy = await c.query("COPY (SELECT 1) TO PROGRAM 'true'").then(
        () => "ran",
        (e: Error) => e.message,
      );
      expect(copy).toBe("COPY ... PROGRAM is not available in the embedded Postgres");
      // The generated password is asked for: without it, or with another, no session.
      for (const password of ["", "wrong"]) {
        const other = new URL(url);
        other.password = password;
        expect(await withClient(other.href, () => Promise.resolve("in")).catch((e: Error) => e.message)).toBe("password authentication failed");
      }
      expect((await c.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      const version = (await c.query("SHOW server_version")).rows[0].server_version.split(" ")[0];
      expect(lines).toContain(`embedded Postgres ${version} (PGlite) on 127.0.0.1:${first.attributes.port}`);
    });
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    const counts = await Promise.all(Array.from({ length: 8 }, () => pool.query("SELECT count(*)::int AS n FROM items")));
    expect(counts.map((r) => r.rows[0].n)).toEqual(Array(8).fill(2));
    await pool.end();
    const error = await withClient(url, (c) => c.query("SELECT * FROM missing_table")).catch((e) => e);
    expect(error.message).toContain('relation "missing_table" does not exist');
    await first.close();
    expect(await first.healthy()).toBe(false);

    const second = await startResource(resourceFrom(YAML, "db"), contextFor(dataDir));
    expect(await withClient(second.attributes.url as string, async (c) => (await c.query("SELECT name FROM items ORDER BY id")).rows)).toEqual([
      { name: "one" },
      { name: "two" },
    ]);
    await second.close();
  }, 90_000);

  it("keeps data when the process holding it is killed with SIGKILL", async () => {
    // The same folder as above: a first start runs initdb in WASM, which takes seconds.
    const dataDir = join(state.dir, "db");
    const holder = await holdInChild(YAML, "db", dataDir, { CAIRN_POSTGRES: "embedded" });
    await withClient(holder.attributes.url as string, (c) => c.query("CREATE TABLE t (v int); INSERT INTO t VALUES (7)"));
    await killHolder(holder);
    const again = await startResource(resourceFrom(YAML, "db"), contextFor(dataDir));
    expect(await withClient(again.attributes.url as string, async (c) => (await c.query("SELECT v FROM t")).rows)).toEqual([{ v: 7 }]);
    expect(await withClient(again.attributes.url as string, async (c) => (await c.query("SELECT count(*)::int AS n FROM items")).rows)).toEqual([{ n: 2 }]);
    await again.close();
  }, 60_000);

  it("says what to install for PostGIS, which the embedded one cannot load", async () => {
    const resource = resourceFrom("name: t\nresources:\n  db: { type: postgres, version: 15, extensions: [postgis] }\n", "db");
    const error = await startResource(resource, contextFor(join(state.dir, "gis"))).catch((e) => e);
    expect(error).toBeInstanceOf(ResourceError);
    expect(error.message).toContain('"postgis" is not available in the embedded Postgres');
    expect(error.hint).toContain("postgresql-15-postgis-3");
  });
});
