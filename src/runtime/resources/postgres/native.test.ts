import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../../test-support/wait.js";
import { alive } from "../endpoint.js";
import { startResource } from "../index.js";
import { contextFor, holdInChild, killHolder, resourceFrom, stateDir } from "../testing/index.js";
import { ResourceError } from "../types.js";
import { findPostgres } from "./binaries.js";

const YAML = `name: t
resources:
  db: { type: postgres, version: 15, extensions: [postgis, pg_trgm], database: geo }
`;
const db = () => resourceFrom(YAML, "db");

async function query(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe("private PostgreSQL cluster", () => {
  let state: Awaited<ReturnType<typeof stateDir>>;
  beforeAll(async () => {
    state = await stateDir("pg");
    process.env.CAIRN_POSTGRES = "native";
  });
  afterAll(async () => {
    delete process.env.CAIRN_POSTGRES;
    await state.remove();
  });

  it("finds the machine's server binaries", () => {
    expect(findPostgres(15)?.major).toBeGreaterThanOrEqual(13);
  });

  it("creates a cluster with PostGIS, keeps data across close and start", async () => {
    const dataDir = join(state.dir, "db");
    const first = await startResource(db(), contextFor(dataDir));
    expect(first.attributes.database).toBe("geo");
    expect(first.attributes.url).toMatch(new RegExp(`^postgres://app:[0-9a-f]{48}@127\\.0\\.0\\.1:${first.attributes.port}/geo$`));
    expect(await first.healthy()).toBe(true);
    await query(
      first.attributes.url as string,
      `CREATE TABLE zones (id serial PRIMARY KEY, name text, geom geometry(Polygon, 4326));
       CREATE INDEX zones_geom ON zones USING GIST (geom);
       INSERT INTO zones (name, geom) VALUES
         ('amazon', ST_GeomFromText('POLYGON((-60 -5, -55 -5, -55 0, -60 0, -60 -5))', 4326)),
         ('borneo', ST_GeomFromText('POLYGON((110 0, 115 0, 115 5, 110 5, 110 0))', 4326));`,
    );
    await first.close();
    await first.close();
    expect(await first.healthy()).toBe(false);

    const second = await startResource(db(), contextFor(dataDir));
    expect(second.attributes.port).toBe(first.attributes.port);
    const rows = await query(
      second.attributes.url as string,
      "SELECT name FROM zones WHERE ST_Intersects(geom, ST_MakeEnvelope(-58, -3, -50, 2, 4326)) ORDER BY name",
    );
    expect(rows).toEqual([{ name: "amazon" }]);
    const index = await query(second.attributes.url as string, "SELECT indexdef FROM pg_indexes WHERE indexname = 'zones_geom'");
    expect(index[0]?.indexdef).toContain("USING gist");
    await second.close();
  });

  it("gives the app a role that owns its database and nothing more; extensions made by the superuser", async () => {
    const dataDir = join(state.dir, "db");
    const server = await startResource(db(), contextFor(dataDir));
    const url = server.attributes.url as string;
    try {
      // The app creates tables in its own database...
      await query(url, "CREATE TABLE notes (id serial PRIMARY KEY, body text); INSERT INTO notes (body) VALUES ('hi')");
      expect(await query(url, "SELECT body FROM notes")).toEqual([{ body: "hi" }]);
      expect(await query(url, "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user")).toEqual([
        { rolsuper: false, rolcreatedb: false, rolcreaterole: false },
      ]);
      expect((await query(url, "SELECT extname FROM pg_extension ORDER BY extname")).map((r) => r.extname)).toEqual(["pg_trgm", "plpgsql", "postgis"]);
      expect(await query(url, "SELECT similarity('cairn', 'cairns') > 0.5 AS close")).toEqual([{ close: true }]);
      // ...but cannot run a program on the server, read its files, or make roles and databases.
      for (const sql of [
        "COPY (SELECT 1) TO PROGRAM 'true'",
        "SELECT pg_read_file('/etc/passwd')",
        "CREATE ROLE other SUPERUSER",
        "CREATE DATABASE other",
        "ALTER ROLE app SUPERUSER",
      ])
        expect([
          sql,
          await query(url, sql).then(
            () => "ran",
            (e: Error) => /permission denied|must be superuser|not allowed|must have/i.test(e.message),
          ),
        ]).toEqual([sql, true]);
      // The superuser has no password: over TCP it is refused whatever the password.
      const admin = new URL(url);
      admin.username = "cairn";
      expect(
        await query(admin.href, "SELECT 1").then(
          () => "in",
          (e: Error) => e.message,
        ),
      ).toMatch(/password authentication failed/);
      // The password is needed: a wrong one is refused.
      const wrong = new URL(url);
      wrong.password = "nope";
      expect(
        await query(wrong.href, "SELECT 1").then(
          () => "in",
          (e: Error) => e.message,
        ),
      ).toMatch(/password authentication failed/);
    } finally {
      await server.close();
    }
    // A restart keeps the same password, so the URL services hold stays good.
    const again = await startResource(db(), contextFor(dataDir));
    expect(again.attributes.url).toBe(url);
    await again.close();
  });

  it("hands tables an older Cairn made as the superuser to the app's role", async () => {
    const dataDir = join(state.dir, "db");
    const server = await startResource(db(), contextFor(dataDir));
    const port = Number(server.attributes.port);
    const admin = { host: join(dataDir, "socket"), port, user: "cairn", database: "geo" };
    const client = new pg.Client(admin);
    await client.connect();
    await client.query("CREATE TABLE legacy (v int); INSERT INTO legacy VALUES (7)");
    await client.end();
    await server.close();
    const again = await startResource(db(), contextFor(dataDir));
    expect(await query(again.attributes.url as string, "SELECT v FROM legacy")).toEqual([{ v: 7 }]);
    expect(await query(again.attributes.url as string, "SELECT tableowner FROM pg_tables WHERE tablename = 'legacy'")).toEqual([{ tableowner: "app" }]);
    await again.close();
  });

  it("keeps data when the process holding it is killed with SIGKILL", async () => {
    // The cluster of the test above: initdb takes seconds, and a second cluster proves nothing more.
    const dataDir = join(state.dir, "db");
    const holder = await holdInChild(YAML, "db", dataDir, { CAIRN_POSTGRES: "native" });
    await query(holder.attributes.url as string, "CREATE TABLE t (v int); INSERT INTO t VALUES (42)");
    await killHolder(holder);
    // The server got SIGINT from its parent's death and shut down cleanly.
    await waitFor(() => !alive(holder.pid), 10_000, "the server to shut down");
    const again = await startResource(db(), contextFor(dataDir));
    expect(await query(again.attributes.url as string, "SELECT v FROM t")).toEqual([{ v: 42 }]);
    expect(await query(again.attributes.url as string, "SELECT count(*)::int AS n FROM zones")).toEqual([{ n: 2 }]);
    await again.close();
  });

  it("refuses a data folder left by another major version, and leaves it as it was", async () => {
    const cluster = join(state.dir, "old", "cluster");
    await mkdir(cluster, { recursive: true });
    await writeFile(join(cluster, "PG_VERSION"), "11\n");
    await writeFile(join(cluster, "precious"), "data");
    const error = await startResource(db(), contextFor(join(state.dir, "old"))).catch((e) => e);
    expect(error).toBeInstanceOf(ResourceError);
    expect(error.message).toContain("PostgreSQL 11");
    expect(error.hint).toContain("apt-get install postgresql-11");
    expect((await readdir(cluster)).sort()).toEqual(["PG_VERSION", "precious"]);
    expect(await readFile(join(cluster, "precious"), "utf8")).toBe("data");
  });

  it("refuses a folder that is not a PostgreSQL data folder", async () => {
    const cluster = join(state.dir, "foreign", "cluster");
    await mkdir(cluster, { recursive: true });
    await writeFile(join(cluster, "notes.txt"), "mine");
    const error = await startResource(db(), contextFor(join(state.dir, "foreign"))).catch((e) => e);
    expect(error).toBeInstanceOf(ResourceError);
    expect(error.message).toContain("not a PostgreSQL data folder");
    expect(await readFile(join(cluster, "notes.txt"), "utf8")).toBe("mine");
  });

  it("says which package to install for a missing extension", async () => {
    const resource = resourceFrom("name: t\nresources:\n  db: { type: postgres, version: 15, extensions: [no_such_ext] }\n", "db");
    const error = await startResource(resource, contextFor(join(state.dir, "db"))).catch((e) => e);
    expect(error).toBeInstanceOf(ResourceError);
    expect(error.message).toContain('"no_such_ext" is not available');
    expect(error.hint).toMatch(/apt-get install postgresql-\d+-no-such-ext/);
  });
});
