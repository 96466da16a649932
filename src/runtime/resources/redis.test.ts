import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../test-support/wait.js";
import { alive, readEndpoint } from "./endpoint.js";
import { startResource } from "./index.js";
import { portFree } from "./ports.js";
import { contextFor, holdInChild, killHolder, resourceFrom, stateDir } from "./testing/index.js";
import { ResourceError } from "./types.js";

const YAML = "name: t\nresources:\n  cache: { type: redis, memory: 64MB, eviction: allkeys-lru }\n";

async function withRedis<T>(url: string, run: (r: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    client.disconnect();
  }
}

describe("private redis-server", () => {
  let state: Awaited<ReturnType<typeof stateDir>>;
  beforeAll(async () => {
    state = await stateDir("redis");
  });
  afterAll(() => state.remove());

  it("starts with the model's memory limit and eviction, and keeps data across close and start", async () => {
    const dataDir = join(state.dir, "cache");
    const first = await startResource(resourceFrom(YAML, "cache"), contextFor(dataDir));
    expect(first.attributes.url).toBe(`redis://127.0.0.1:${first.attributes.port}`);
    expect(await first.healthy()).toBe(true);
    await withRedis(first.attributes.url as string, async (r) => {
      expect(await r.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "allkeys-lru"]);
      expect(await r.config("GET", "maxmemory")).toEqual(["maxmemory", "64000000"]);
      await r.set("country:FR", JSON.stringify({ type: "FeatureCollection" }));
      await r.hset("stats", "zones", "12");
    });
    await first.close();
    expect(await first.healthy()).toBe(false);
    expect(alive(first.pid)).toBe(false);

    const second = await startResource(resourceFrom(YAML, "cache"), contextFor(dataDir));
    await withRedis(second.attributes.url as string, async (r) => {
      expect(await r.get("country:FR")).toBe('{"type":"FeatureCollection"}');
      expect(await r.hget("stats", "zones")).toBe("12");
    });
    await second.close();
  });

  it("keeps data when the process holding it is killed with SIGKILL", async () => {
    const dataDir = join(state.dir, "crash");
    const holder = await holdInChild(YAML, "cache", dataDir);
    await withRedis(holder.attributes.url as string, (r) => r.set("k", "survives"));
    await killHolder(holder);
    await waitFor(() => !alive(holder.pid), 5_000, "redis-server to stop");
    expect(await portFree("127.0.0.1", Number(holder.attributes.port))).toBe(true);
    const again = await startResource(resourceFrom(YAML, "cache"), contextFor(dataDir));
    expect(await withRedis(again.attributes.url as string, (r) => r.get("k"))).toBe("survives");
    expect((await readEndpoint(dataDir))?.pid).toBe(again.pid);
    // The health check follows the server: gone server, unhealthy resource.
    process.kill(again.pid as number, "SIGKILL");
    await waitFor(() => !alive(again.pid), 5_000, "redis-server to die");
    expect(await again.healthy()).toBe(false);
    await again.close();
  });

  it("says how to install redis when redis-server is missing", async () => {
    process.env.CAIRN_REDIS_SERVER = "/nonexistent/redis-server";
    try {
      const error = await startResource(resourceFrom(YAML, "cache"), contextFor(join(state.dir, "none"))).catch((e) => e);
      expect(error).toBeInstanceOf(ResourceError);
      expect(error.message).toContain("CAIRN_REDIS_SERVER=/nonexistent/redis-server");
      expect(error.hint).toContain("apt-get install redis-server");
    } finally {
      delete process.env.CAIRN_REDIS_SERVER;
    }
  });
});
