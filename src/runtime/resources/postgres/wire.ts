/**
 * Serves one PGlite instance over the Postgres wire protocol, so ordinary clients (pg, psql, any
 * driver) connect to it. Start-up (SSL refused, the password asked when one is set) is answered here; every
 * later message goes to PGlite as it is. PGlite has a single session: connections take turns, and a
 * connection keeps the turn from its first message until the server is idle again (outside a
 * transaction), so a transaction is never interleaved with another connection's statements.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

const READY_FOR_QUERY = 0x5a;
const TERMINATE = 0x58;
const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** The transaction status of the last ReadyForQuery in a response ("I", "T", "E"), or null. */
export function lastStatus(response: Uint8Array): string | null {
  let status: string | null = null;
  let at = 0;
  const view = Buffer.from(response.buffer, response.byteOffset, response.byteLength);
  while (at + 5 <= view.length) {
    if (view[at] === READY_FOR_QUERY) status = String.fromCharCode(view[at + 5] ?? 0);
    at += 1 + view.readInt32BE(at + 1);
  }
  return status;
}

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

const cstrings = (...values: string[]) => Buffer.from(values.map((v) => `${v}\0`).join(""));
const int32 = (...values: number[]) => {
  const b = Buffer.alloc(4 * values.length);
  for (const [i, v] of values.entries()) b.writeInt32BE(v, i * 4);
  return b;
};

function startupReply(serverVersion: string, key: number): Buffer {
  const status = (name: string, value: string) => message("S", cstrings(name, value));
  return Buffer.concat([
    message("R", int32(0)),
    status("server_version", serverVersion),
    status("server_encoding", "UTF8"),
    status("client_encoding", "UTF8"),
    status("DateStyle", "ISO, MDY"),
    status("integer_datetimes", "on"),
    status("standard_conforming_strings", "on"),
    status("TimeZone", "UTC"),
    message("K", int32(key, 0)),
    message("Z", Buffer.from("I")),
  ]);
}

/** A turn lock: one owner at a time, others wait in order. */
class Turn {
  private owner: object | null = null;
  private waiting: Array<() => void> = [];
  async take(who: object): Promise<void> {
    while (this.owner && this.owner !== who) await new Promise<void>((r) => this.waiting.push(r));
    this.owner = who;
  }
  release(who: object): void {
    if (this.owner !== who) return;
    this.owner = null;
    this.waiting.shift()?.();
  }
  holds(who: object): boolean {
    return this.owner === who;
  }
}

const QUERY = 0x51;

/**
 * `COPY ... TO/FROM PROGRAM` runs nothing in PGlite (WASM has no processes) but leaves the instance stuck:
 * every later query waits forever. A simple query naming PROGRAM is answered with an error instead.
 */
export function refusedQuery(data: Buffer): string | null {
  if (data[0] !== QUERY) return null;
  return /\bprogram\b/i.test(data.subarray(5).toString("latin1")) ? "COPY ... PROGRAM is not available in the embedded Postgres" : null;
}

/** True when the PasswordMessage `data` carries `password` (compared in constant time). */
export function passwordMatches(data: Buffer, password: string): boolean {
  if (data[0] !== 0x70) return false;
  const given = data.subarray(5, data.length - 1);
  const expected = Buffer.from(password);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const refusal = (text: string) => message("E", Buffer.concat([cstrings("SFATAL", "VFATAL", "C28P01", `M${text}`), Buffer.from([0])]));

/** Listens on `host:port` and answers every connection from `db`; with `password`, only clients that give it. */
export async function serveWire(db: PGlite, host: string, port: number, serverVersion: string, password: string | null = null): Promise<Server> {
  const turn = new Turn();
  const sockets = new Set<Socket>();
  let nextKey = 1;

  const server = createServer((socket) => {
    sockets.add(socket);
    const me = {};
    let phase: "startup" | "password" | "ready" = "startup";
    let inTransaction = false;
    let pending = Buffer.alloc(0);
    let chain = Promise.resolve();
    let queued = 0;
    let replies: Uint8Array[] = [];
    // Replies go out together once the client's pipelined messages are answered: one write per
    // round trip, not one per message, so Nagle and delayed ACKs never stall a query.
    socket.setNoDelay(true);
    const flush = () => {
      if (replies.length && !socket.destroyed) socket.write(Buffer.concat(replies));
      replies = [];
    };
    const reply = (data: Uint8Array) => {
      if (data.length) replies.push(data);
      if (queued === 0) flush();
    };

    const run = async (data: Buffer) => {
      if (data[0] === TERMINATE) {
        flush();
        socket.end();
        return;
      }
      const refused = refusedQuery(data);
      if (refused) {
        const body = Buffer.concat([cstrings("SERROR", "C42501", `M${refused}`), Buffer.from([0])]);
        reply(Buffer.concat([message("E", body), message("Z", Buffer.from(inTransaction ? "E" : "I"))]));
        return;
      }
      await turn.take(me);
      let response: Uint8Array;
      try {
        response = await db.execProtocolRaw(data);
      } catch (error) {
        turn.release(me);
        const body = Buffer.concat([cstrings("SERROR", "CXX000", `M${(error as Error).message}`), Buffer.from([0])]);
        reply(Buffer.concat([message("E", body), message("Z", Buffer.from("I"))]));
        return;
      }
      const status = lastStatus(response);
      if (status !== null) {
        inTransaction = status !== "I";
        if (!inTransaction) turn.release(me);
      }
      reply(response);
    };

    socket.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (phase === "password") {
          if (pending.length < 5) return;
          const length = 1 + pending.readInt32BE(1);
          if (length > 1024) return void socket.end(refusal("password message too long"));
          if (pending.length < length) return;
          const data = pending.subarray(0, length);
          pending = pending.subarray(length);
          if (password === null || !passwordMatches(data, password)) return void socket.end(refusal("password authentication failed"));
          phase = "ready";
          socket.write(startupReply(serverVersion, nextKey++));
          continue;
        }
        if (phase === "startup") {
          if (pending.length < 8) return;
          const length = pending.readInt32BE(0);
          if (pending.length < length) return;
          const code = pending.readInt32BE(4);
          pending = pending.subarray(length);
          if (code === SSL_REQUEST || code === GSS_REQUEST) socket.write("N");
          else if (code === CANCEL_REQUEST) socket.end();
          else if (password !== null) {
            phase = "password";
            socket.write(message("R", int32(3)));
          } else {
            phase = "ready";
            socket.write(startupReply(serverVersion, nextKey++));
          }
          continue;
        }
        if (pending.length < 5) return;
        const length = 1 + pending.readInt32BE(1);
        if (pending.length < length) return;
        // A copy: PGlite may keep or detach the bytes it is given.
        const data = Buffer.from(pending.subarray(0, length));
        pending = pending.subarray(length);
        queued++;
        chain = chain.then(async () => {
          queued--;
          await run(data);
        });
      }
    });
    const finish = async () => {
      sockets.delete(socket);
      await chain;
      if (!turn.holds(me)) return;
      // A client that left mid-transaction must not leave it open for the next one.
      if (inTransaction) await db.exec("ROLLBACK").catch(() => {});
      turn.release(me);
    };
    socket.on("close", () => void finish());
    socket.on("error", () => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port, exclusive: true }, () => resolve());
  });
  const close = server.close.bind(server);
  server.close = (callback?: (error?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(callback);
  };
  return server;
}
