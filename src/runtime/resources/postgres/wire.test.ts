/** Hostile bytes to the embedded Postgres's wire server: each ends that connection, never the server. */
import net from "node:net";
import { join } from "node:path";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startResource } from "../index.js";
import { hostileWire, pgStartup } from "../testing/hostile.js";
import { contextFor, resourceFrom, stateDir } from "../testing/index.js";
import type { LocalResource } from "../types.js";
import { messageProblem, startupProblem } from "./wire.js";

const YAML = "name: t\nresources:\n  db: { type: postgres }\n";
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const startup = pgStartup;

/** Sends `bytes` (then ends its side when `end`) and reads until the server closes or `ms` pass. */
function exchange(port: number, bytes: Buffer, ms = 3000, end = false): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => (end ? socket.end(bytes) : socket.write(bytes)));
    const chunks: Buffer[] = [];
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString("latin1"), closed });
    };
    const timer = setTimeout(() => done(false), ms);
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", () => done(true));
    socket.on("close", () => done(true));
  });
}

async function count(url: string): Promise<number> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query("SELECT count(*)::int AS n FROM kept")).rows[0].n;
  } finally {
    await client.end();
  }
}

describe("the Postgres wire server under hostile bytes", () => {
  let state: Awaited<ReturnType<typeof stateDir>>;
  let db: LocalResource;
  let port: number;
  let url: string;
  const lines: string[] = [];
  beforeAll(async () => {
    state = await stateDir("wire");
    process.env.CAIRN_POSTGRES = "embedded";
    const dataDir = join(state.dir, "db");
    db = await startResource(resourceFrom(YAML, "db"), contextFor(dataDir, dataDir, lines));
    port = Number(db.attributes.port);
    url = String(db.attributes.url);
    const client = new pg.Client(url);
    await client.connect();
    await client.query("CREATE TABLE kept (v int); INSERT INTO kept VALUES (1), (2)");
    await client.end();
  }, 90_000);
  afterAll(async () => {
    delete process.env.CAIRN_POSTGRES;
    await db?.close();
    await state?.remove();
  });

  it("judges start-up packets and message heads as Postgres does", () => {
    expect(startupProblem(0, 196608)).toBe("invalid length of startup packet");
    expect(startupProblem(20_000, 196608)).toBe("invalid length of startup packet");
    expect(startupProblem(8, 80877103)).toBeNull();
    expect(startupProblem(40, 131072)).toMatch(/^unsupported frontend protocol 2\.0/);
    expect(startupProblem(40, 196608)).toBeNull();
    expect(messageProblem("Q".charCodeAt(0), 4)).toBeNull();
    expect(messageProblem("Q".charCodeAt(0), 3)).toBe("invalid message length");
    expect(messageProblem("Q".charCodeAt(0), -1)).toBe("invalid message length");
    expect(messageProblem("z".charCodeAt(0), 4)).toBe("invalid frontend message type 122");
  });

  it("ends a connection that breaks the protocol with a FATAL 08P01, and serves the others", async () => {
    const cases: [string, Buffer][] = [
      // A zero length once made the server loop forever on the same bytes.
      ["zero start-up length", Buffer.concat([int32(0), int32(196608)])],
      ["protocol 2", Buffer.concat([int32(8), int32(131072)])],
      ["negative message length", Buffer.concat([startup, Buffer.from("Q"), int32(-1)])],
      ["zero message length", Buffer.concat([startup, Buffer.from("Q"), int32(0)])],
      ["unknown message type", Buffer.concat([startup, Buffer.from("z"), int32(4)])],
    ];
    for (const [what, bytes] of cases) {
      const answer = await exchange(port, bytes);
      expect(answer.closed, what).toBe(true);
      expect(answer.text, what).toMatch(/E[\s\S]*SFATAL\0VFATAL\0C08P01\0M/);
    }
    expect(lines.some((l) => /^postgres: request [0-9A-F]{16} \(bytes\) answered 500: invalid frontend message type 122$/.test(l))).toBe(true);
    expect(await count(url)).toBe(2);
  });

  it("survives fuzzed bytes before and after the start-up, then answers a normal client", async () => {
    await fc.assert(
      fc.asyncProperty(hostileWire, async (b) => {
        await exchange(port, b, 1000, true);
      }),
      { numRuns: 150, seed: 12 },
    );
    expect(await count(url)).toBe(2);
    expect(await db.healthy()).toBe(true);
  }, 120_000);
});
