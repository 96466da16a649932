import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startResource } from "../../runtime/resources/index.js";
import { contextFor, resourceFrom, stateDir } from "../../runtime/resources/testing/index.js";
import { captureContext } from "../../test-support/index.js";
import { main } from "../main.js";

const YAML = `name: shop
resources:
  db: { type: postgres, version: 15 }
  files: { type: bucket }
  cache: { type: redis }
`;

async function sql(url: string, text: string) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe("cairn backup, restore and psql", () => {
  let state: Awaited<ReturnType<typeof stateDir>>;
  let dir: string;
  const run = async (...argv: string[]) => {
    const context = captureContext(dir);
    const code = await main(argv, context);
    return { code, out: context.out(), err: context.err() };
  };
  const resources = () => join(dir, ".cairn", "local", "resources");
  beforeAll(async () => {
    state = await stateDir("backup");
    dir = join(state.dir, "stack");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "cairn.yaml"), YAML);
  });
  afterAll(() => state.remove());

  it("backs up the private cluster, and a restore gives back exactly the backed-up rows", async () => {
    process.env.CAIRN_POSTGRES = "native";
    try {
      // Running like under `cairn up`: the commands find it through its endpoint.
      const db = await startResource(resourceFrom(YAML, "db"), { ...contextFor(join(resources(), "db"), dir), stack: "shop" });
      const url = db.attributes.url as string;
      await sql(url, "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'one'), (2, 'two')");
      const taken = await run("backup", "db", "--out", "db.dump", "--json");
      expect(taken.code).toBe(0);
      expect(JSON.parse(taken.out)).toMatchObject({ resource: "db", engine: "native", file: join(dir, "db.dump") });
      await sql(url, "UPDATE t SET v = 'changed' WHERE id = 1; DELETE FROM t WHERE id = 2; INSERT INTO t VALUES (3, 'three')");
      const restored = await run("restore", "db", "db.dump");
      expect(restored.code).toBe(0);
      expect(restored.out).toContain("db (postgres, native) restored");
      expect(await sql(url, "SELECT id, v FROM t ORDER BY id")).toEqual([
        { id: 1, v: "one" },
        { id: 2, v: "two" },
      ]);
      const shell = await run("psql", "--", "-tAc", "SELECT count(*) FROM t");
      expect(shell.code).toBe(0);
      expect(shell.out.trim()).toBe("2");
      await db.close();
    } finally {
      delete process.env.CAIRN_POSTGRES;
    }
  }, 60_000);

  it("backs up a bucket (starting it for the command), and a restore gives back exactly those objects", async () => {
    const taken0 = await run("backup", "files", "--out", "empty.tar");
    expect(taken0.code).toBe(0);
    const files = await startResource(resourceFrom(YAML, "files"), { ...contextFor(join(resources(), "files"), dir), stack: "shop" });
    const s3 = new S3Client({
      endpoint: files.attributes.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    });
    const Bucket = files.attributes.name as string;
    await s3.send(new PutObjectCommand({ Bucket, Key: "a/one.csv", Body: "x,y\n1,2\n", ContentType: "text/csv", Metadata: { source: "paris" } }));
    await s3.send(new PutObjectCommand({ Bucket, Key: "b.bin", Body: Buffer.alloc(70_000, 7) }));
    await s3.send(new PutObjectCommand({ Bucket, Key: "empty", Body: "" }));
    await files.close();

    const taken = await run("backup", "files", "--out", "files.tar");
    expect(taken.code).toBe(0);
    expect(taken.out).toContain("3 objects");

    const again = await startResource(resourceFrom(YAML, "files"), { ...contextFor(join(resources(), "files"), dir), stack: "shop" });
    await s3.send(new PutObjectCommand({ Bucket, Key: "a/one.csv", Body: "changed" }));
    await s3.send(new PutObjectCommand({ Bucket, Key: "new.txt", Body: "added after the backup" }));
    const restored = await run("restore", "files", "files.tar");
    expect(restored.code).toBe(0);
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((c) => c.Key);
    expect(keys).toEqual(["a/one.csv", "b.bin", "empty"]);
    const one = await s3.send(new GetObjectCommand({ Bucket, Key: "a/one.csv" }));
    expect(await one.Body?.transformToString()).toBe("x,y\n1,2\n");
    expect(one.ContentType).toBe("text/csv");
    expect(one.Metadata).toEqual({ source: "paris" });
    const bin = await s3.send(new GetObjectCommand({ Bucket, Key: "b.bin" }));
    expect(Buffer.from(await (bin.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()).equals(Buffer.alloc(70_000, 7))).toBe(true);
    await again.close();
    s3.destroy();
  });

  it("backs up and restores the embedded Postgres while the stack is stopped, keeping the replaced data", async () => {
    process.env.CAIRN_POSTGRES = "embedded";
    const yaml = "name: emb\nresources:\n  db: { type: postgres }\n";
    const embDir = join(state.dir, "emb");
    await mkdir(embDir, { recursive: true });
    await writeFile(join(embDir, "cairn.yaml"), yaml);
    const dataDir = join(embDir, ".cairn", "local", "resources", "db");
    try {
      const db = await startResource(resourceFrom(yaml, "db"), contextFor(dataDir, embDir));
      await sql(db.attributes.url as string, "CREATE TABLE t (v int); INSERT INTO t VALUES (1), (2)");
      const busy = await main(["backup", "db", "-s", embDir, "--out", join(embDir, "x.tar.gz")], captureContext(embDir));
      expect(busy).toBe(1);
      await db.close();
      const context = captureContext(embDir);
      expect(await main(["backup", "db", "-s", embDir, "--out", join(embDir, "db.tar.gz")], context)).toBe(0);
      const changed = await startResource(resourceFrom(yaml, "db"), contextFor(dataDir, embDir));
      await sql(changed.attributes.url as string, "DELETE FROM t WHERE v = 1; INSERT INTO t VALUES (3)");
      await changed.close();
      expect(await main(["restore", "db", join(embDir, "db.tar.gz"), "-s", embDir], captureContext(embDir))).toBe(0);
      expect((await readdir(dataDir)).some((n) => n.startsWith("pglite.before-restore-"))).toBe(true);
      const restored = await startResource(resourceFrom(yaml, "db"), contextFor(dataDir, embDir));
      expect(await sql(restored.attributes.url as string, "SELECT v FROM t ORDER BY v")).toEqual([{ v: 1 }, { v: 2 }]);
      await restored.close();
    } finally {
      delete process.env.CAIRN_POSTGRES;
    }
  }, 120_000);

  it("explains what it cannot do: an unknown resource, a redis, a missing file, a file that is not a backup", async () => {
    const unknown = await run("backup", "nope");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no resource "nope"');
    const redis = await run("backup", "cache");
    expect(redis.err).toContain('"cache" is a redis');
    const missing = await run("restore", "files", "nowhere.tar");
    expect(missing.err).toContain("no such backup file");
    await writeFile(join(dir, "junk.tar"), "not a tar at all, just text long enough".repeat(20));
    const junk = await run("restore", "files", "junk.tar");
    expect(junk.code).toBe(1);
    expect(junk.err).toContain("not a tar archive");
  });
});
