import { readFileSync, statSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../test-support/wait.js";
import { portIsFree } from "../ports.js";
import { alive, readEndpoint } from "./endpoint.js";
import { startResource } from "./index.js";
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

/** Sends raw RESP text and resolves with the first `lines` reply lines. */
function raw(port: number, text: string, lines: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => socket.write(text));
    let answer = "";
    socket.on("data", (d) => {
      answer += d.toString();
      if (answer.split("\r\n").length > lines) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on("error", reject);
  });
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
    expect(first.attributes.url).toMatch(new RegExp(`^redis://:[0-9a-f]{48}@127\\.0\\.0\\.1:${first.attributes.port}$`));
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

  it("asks for its generated password, runs as an unprivileged user, and keeps the password off the command line", async () => {
    const dataDir = join(state.dir, "locked");
    const server = await startResource(resourceFrom(YAML, "cache"), contextFor(dataDir));
    try {
      const url = new URL(server.attributes.url as string);
      // Without the password: NOAUTH, over a raw socket (no client library in the way).
      const port = Number(server.attributes.port);
      expect(await raw(port, "SET k v\r\nCONFIG GET dir\r\n", 2)).toBe("-NOAUTH Authentication required.\r\n-NOAUTH Authentication required.\r\n");
      expect(await raw(port, "AUTH nope\r\n", 1)).toMatch(/^-WRONGPASS/);
      // With the URL a service gets: in.
      expect(await withRedis(url.href, (r) => r.ping())).toBe("PONG");
      const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      const cmdline = readFileSync(`/proc/${server.pid}/cmdline`, "utf8");
      expect(cmdline).not.toContain(url.password);
      expect(statSync(join(dataDir, "redis.conf")).mode & 0o077).toBe(0);
      // Root or not, never root: as Cairn's own user otherwise.
      expect(uid).toBe(process.getuid?.() === 0 ? Number(/^redis:x:(\d+)/m.exec(readFileSync("/etc/passwd", "utf8"))?.[1] ?? 65534) : process.getuid?.());
      expect(uid).not.toBe(0);
    } finally {
      await server.close();
    }
  });

  it("keeps data when the process holding it is killed with SIGKILL", async () => {
    const dataDir = join(state.dir, "crash");
    const holder = await holdInChild(YAML, "cache", dataDir);
    await withRedis(holder.attributes.url as string, (r) => r.set("k", "survives"));
    await killHolder(holder);
    await waitFor(() => !alive(holder.pid), 5_000, "redis-server to stop");
    expect(await portIsFree(Number(holder.attributes.port), "127.0.0.1")).toBe(true);
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
