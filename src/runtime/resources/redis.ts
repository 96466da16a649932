/**
 * A private `redis-server`: loopback, free port, append-only persistence in the resource's folder, a
 * generated password (in a 0600 config file, never on the command line, where `ps` would show it), run as
 * the `redis` system user (or nobody) when Cairn is root, as Cairn's user otherwise.
 */
import { execFileSync } from "node:child_process";
import { chmod, chown, mkdir, readdir, writeFile } from "node:fs/promises";
import { createConnection } from "node:net";
import { join } from "node:path";
import type { Redis } from "../../model/types.js";
import { freePort } from "../ports.js";
import { commandLine, spawnServer, stopOrphan, tail, waitFor } from "./child.js";
import { storedPassword } from "./credentials.js";
import { alive, markStopped, readEndpoint, writeEndpoint } from "./endpoint.js";
import { checkReachable, type RunAs, serverUser } from "./postgres/unprivileged.js";
import { type LocalResource, type ResourceContext, ResourceError } from "./types.js";

/** The redis-server binary (`CAIRN_REDIS_SERVER` or PATH), or null. */
export function findRedis(env: NodeJS.ProcessEnv = process.env): string | null {
  // An explicit choice is the only one tried: a wrong path should say so, not fall back silently.
  const candidates = env.CAIRN_REDIS_SERVER
    ? [env.CAIRN_REDIS_SERVER]
    : ["redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server"];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ["--version"], { stdio: "ignore", timeout: 5000 });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return null;
}

/** Sends AUTH (when given a password) then PING over a raw socket; true on +PONG. */
export function ping(host: string, port: number, timeoutMs = 1000, password: string | null = null): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write(`${password === null ? "" : `AUTH ${password}\r\n`}PING\r\n`));
    let answer = "";
    socket.on("data", (data) => {
      answer += data.toString();
      const expected = password === null ? "+PONG\r\n" : "+OK\r\n+PONG\r\n";
      if (answer.length >= expected.length || answer.startsWith("-")) done(answer.startsWith(expected));
    });
  });
}

/** Gives the server's user its data folder and what an earlier start left in it. */
async function handOverFolder(dir: string, user: RunAs): Promise<void> {
  await chown(dir, user.uid, user.gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name === "credentials.json" || entry.name === "endpoint.json") continue;
    if (entry.isDirectory()) await handOverFolder(path, user);
    else await chown(path, user.uid, user.gid);
  }
}

const EVICTION = new Set(["noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"]);

export async function startRedis(resource: Redis, context: ResourceContext): Promise<LocalResource> {
  const binary = findRedis();
  if (!binary) {
    const explicit = process.env.CAIRN_REDIS_SERVER;
    throw new ResourceError(
      resource.name,
      explicit ? `CAIRN_REDIS_SERVER=${explicit} is not a working redis-server` : "redis-server is not installed on this machine",
      "Install it: `apt-get install redis-server` (Debian/Ubuntu), `brew install redis` (macOS), or set CAIRN_REDIS_SERVER to its path.",
    );
  }
  await mkdir(context.dataDir, { recursive: true });
  const previous = await readEndpoint(context.dataDir);
  if (previous?.pid && previous.owner !== process.pid) {
    if (alive(previous.owner) && alive(previous.pid)) {
      throw new ResourceError(resource.name, `redis is already running, started by process ${previous.owner}`, "Stop that `cairn up` first (`cairn down`).");
    }
    // A server left by a `cairn up` that was killed: stop it (it saves its data) before starting ours.
    if (commandLine(previous.pid).includes("redis-server")) await stopOrphan(previous.pid, "SIGTERM");
  }
  const port = await freePort(context.host, previous?.port);
  const logFile = join(context.dataDir, "redis.log");
  const password = await storedPassword(context.dataDir, "redis-default");
  const user = serverUser(["redis"]);
  if (user) {
    checkReachable(resource.name, join(context.dataDir, "redis.conf"), user, "redis-server");
    await handOverFolder(context.dataDir, user);
  }
  const settings = [
    ["bind", context.host],
    ["port", String(port)],
    ["dir", context.dataDir],
    ["protected-mode", "yes"],
    ["daemonize", "no"],
    ["save", '""'],
    ["requirepass", password],
    ...(resource.persistence
      ? [
          ["appendonly", "yes"],
          ["appendfsync", "everysec"],
        ]
      : [["appendonly", "no"]]),
    ...(resource.memoryBytes ? [["maxmemory", String(resource.memoryBytes)]] : []),
    ["maxmemory-policy", EVICTION.has(resource.eviction) ? resource.eviction : "noeviction"],
  ];
  const config = join(context.dataDir, "redis.conf");
  await writeFile(config, `# Written by Cairn at every start.\n${settings.map(([k, v]) => `${k} ${v}`).join("\n")}\n`, { mode: 0o600 });
  await chmod(config, 0o600);
  if (user) await chown(config, user.uid, user.gid);
  const child = spawnServer(binary, [config], { logFile, deathSignal: "SIGTERM", user });
  const ready = await waitFor(() => ping(context.host, port, 1000, password), child, 20_000);
  if (ready !== "ready") {
    await child.stop("SIGTERM", 5000);
    const log = tail(logFile, 5);
    const hint = /Address already in use/i.test(log)
      ? `Port ${port} was taken while redis started; start again to pick another one.`
      : /No space left|Can't open the append/i.test(log)
        ? `Free disk space on the disk holding ${context.dataDir}, or check that the folder is writable.`
        : `See ${logFile}.`;
    throw new ResourceError(resource.name, `redis-server did not start (${ready}): ${log.split("\n").at(-1) ?? ""}`, hint);
  }
  const attributes = { url: `redis://:${password}@${context.host}:${port}`, host: context.host, port: String(port) };
  await writeEndpoint(context.dataDir, {
    type: "redis",
    host: context.host,
    port,
    pid: child.pid,
    owner: process.pid,
    engine: "redis-server",
    attributes,
    startedAt: new Date().toISOString(),
  });
  context.log(`redis-server on ${context.host}:${port}`);
  return {
    name: resource.name,
    type: "redis",
    attributes,
    pid: child.pid,
    healthy: () => ping(context.host, port, 1000, password),
    close: () => child.stop("SIGTERM", 15_000).then(() => markStopped(context.dataDir)),
  };
}
