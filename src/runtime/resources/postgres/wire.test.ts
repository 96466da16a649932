/** The embedded Postgres's wire server: its password, and hostile bytes that end one connection, never the server. */
import net from "node:net";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../../test-support/wait.js";
import { freePort } from "../../ports.js";
import { startResource } from "../index.js";
import { hostileWire, pgPassword, pgStartup } from "../testing/hostile.js";
import { contextFor, resourceFrom, stateDir } from "../testing/index.js";
import type { LocalResource } from "../types.js";
import { messageProblem, passwordMatches, refusedQuery, serveWire, startupProblem } from "./wire.js";

const PASSWORD = "0123456789abcdef0123456789abcdef";

/** A frontend message: type byte, length, body. */
const frame = (type: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
};
const startup = (user: string) => {
  const body = Buffer.from(`\0\u0003\0\0user\0${user}\0database\0postgres\0\0`, "latin1");
  const length = Buffer.alloc(4);
  length.writeInt32BE(4 + body.length);
  return Buffer.concat([length, body]);
};

describe("the embedded Postgres's wire server: start-up and password", { timeout: 120_000 }, () => {
  let db: PGlite;
  let server: Awaited<ReturnType<typeof serveWire>>;
  let port = 0;
  beforeAll(async () => {
    db = await PGlite.create();
    port = await freePort();
    server = await serveWire(db, "127.0.0.1", port, "17.0", PASSWORD);
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await db.close();
  });

  const login = (password: string) => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: "app", password, database: "postgres" });
    return client.connect().then(
      async () => {
        const rows = (await client.query("SELECT 1 AS one")).rows;
        await client.end();
        return rows;
      },
      (e: Error) => e.message,
    );
  };

  it("lets in the client with the password, and no other", async () => {
    expect(await login(PASSWORD)).toEqual([{ one: 1 }]);
    expect(await login("wrong")).toBe("password authentication failed");
    expect(await login(`${PASSWORD}x`)).toBe("password authentication failed");
  });

  it("survives any bytes before and during the password exchange, then still lets the right client in (fuzz)", async () => {
    const hostile = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      fc.string({ maxLength: 40 }).map((s) => Buffer.concat([startup("app"), frame("p", Buffer.from(`${s}\0`))])),
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.concat([startup("x"), Buffer.from(b)])),
      fc.constant(Buffer.concat([startup("app"), frame("Q", Buffer.from("SELECT 1\0"))])),
      fc.constant(Buffer.concat([startup("app"), Buffer.from([0x70, 0x7f, 0xff, 0xff, 0xff])])),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (bytes) => {
        const answer = await new Promise<string>((resolve) => {
          const socket = net.createConnection({ host: "127.0.0.1", port }, () => socket.write(bytes));
          let text = "";
          socket.on("data", (d) => {
            text += d.toString("latin1");
          });
          const done = () => resolve(text);
          socket.on("close", done);
          socket.on("error", done);
          setTimeout(() => socket.destroy(), 100);
        });
        // Never a session (ReadyForQuery) without the password.
        expect(answer.includes("Z\0\0\0\u0005")).toBe(false);
      }),
      { numRuns: 150 },
    );
    expect(await login(PASSWORD)).toEqual([{ one: 1 }]);
  });

  it("reads messages however they arrive: byte by byte, and a 4 MB query in many chunks", async () => {
    const bytes = Buffer.concat([startup("app"), frame("p", Buffer.from(`${PASSWORD}\0`)), frame("Q", Buffer.from("SELECT 41 + 1 AS n\0"))]);
    const socket = net.connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    socket.on("data", (d) => received.push(d));
    await new Promise((r) => socket.once("connect", r));
    for (let i = 0; i < bytes.length; i++) await new Promise((r) => socket.write(bytes.subarray(i, i + 1), r));
    await waitFor(() => Buffer.concat(received).includes(Buffer.from("SELECT 1\0")), 10_000, "the answer to the query sent byte by byte");
    socket.destroy();
    expect(Buffer.concat(received).includes(Buffer.from("\0\0\0\u000242"))).toBe(true);
    const client = new pg.Client({ host: "127.0.0.1", port, user: "app", password: PASSWORD, database: "postgres" });
    await client.connect();
    const big = "x".repeat(4 * 1024 * 1024);
    expect((await client.query(`SELECT length('${big}') AS n`)).rows).toEqual([{ n: big.length }]);
    await client.end();
  });

  it("reads a password message and a query exactly (fuzz)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        expect(passwordMatches(frame("p", Buffer.from(`${s}\0`)), PASSWORD)).toBe(s === PASSWORD);
        expect(passwordMatches(frame("Q", Buffer.from(`${PASSWORD}\0`)), PASSWORD)).toBe(false);
        const query = frame("Q", Buffer.from(`${s}\0`));
        expect(refusedQuery(query) !== null).toBe(/\bprogram\b/i.test(s));
      }),
      { numRuns: 500 },
    );
    expect(refusedQuery(frame("Q", Buffer.from("copy t to PROGRAM 'id'\0")))).not.toBeNull();
    expect(refusedQuery(frame("Q", Buffer.from("SELECT programme FROM t\0")))).toBeNull();
  });
});

const YAML = "name: t\nresources:\n  db: { type: postgres }\n";
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

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

describe("the embedded Postgres's wire server under hostile bytes", () => {
  let state: Awaited<ReturnType<typeof stateDir>>;
  let db: LocalResource;
  let port: number;
  let url: string;
  /** A start-up and the password: what a client sends before its first message. */
  let login: Buffer;
  const lines: string[] = [];
  beforeAll(async () => {
    state = await stateDir("wire");
    process.env.CAIRN_POSTGRES = "embedded";
    const dataDir = join(state.dir, "db");
    db = await startResource(resourceFrom(YAML, "db"), contextFor(dataDir, dataDir, lines));
    port = Number(db.attributes.port);
    url = String(db.attributes.url);
    login = Buffer.concat([pgStartup, pgPassword(decodeURIComponent(new URL(url).password))]);
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
      ["no password message", Buffer.concat([pgStartup, Buffer.from("Q"), int32(8), Buffer.from("SELECT")])],
      ["negative message length", Buffer.concat([login, Buffer.from("Q"), int32(-1)])],
      ["zero message length", Buffer.concat([login, Buffer.from("Q"), int32(0)])],
      ["unknown message type", Buffer.concat([login, Buffer.from("z"), int32(4)])],
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
      fc.asyncProperty(hostileWire(decodeURIComponent(new URL(url).password)), async (b) => {
        await exchange(port, b, 1000, true);
      }),
      { numRuns: 150, seed: 12 },
    );
    expect(await count(url)).toBe(2);
    expect(await db.healthy()).toBe(true);
  }, 120_000);
});
