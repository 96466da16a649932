import { createConnection } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../ports.js";
import { passwordMatches, refusedQuery, serveWire } from "./wire.js";

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
          const socket = createConnection({ host: "127.0.0.1", port }, () => socket.write(bytes));
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
