/**
 * Serves one PGlite instance over the Postgres wire protocol, so ordinary clients (pg, psql, any
 * driver) connect to it. Start-up (SSL refused, the password asked when one is set) is answered here; every
 * later message goes to PGlite as it is. PGlite has a single session: connections take turns, and a
 * connection keeps the turn from its first message until the server is idle again (outside a
 * transaction), so a transaction is never interleaved with another connection's statements.
 *
 * Bytes are checked before PGlite sees them, as a Postgres server checks them: a start-up packet of an
 * impossible length or another protocol, a message of a type no client sends or of an impossible
 * length, ends that connection with a FATAL error (08P01), as Postgres does. Everything a connection's
 * handling throws goes through the one guard (src/runtime/http/guard.ts): that connection ends with an
 * error message, the server and the other connections go on.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { type GuardReport, guardConnection } from "../../http/guard.js";
import { Unread } from "./unread.js";

const READY_FOR_QUERY = 0x5a;
const TERMINATE = 0x58;
const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Postgres's own bounds (MAX_STARTUP_PACKET_LENGTH, PQ_LARGE_MESSAGE_LIMIT). */
const MAX_STARTUP = 10_000;
const MAX_MESSAGE = 1024 ** 3 - 1;
/**
 * Message types a client sends in protocol 3 after the start-up: Bind, Close, CopyData/Done/Fail,
 * Describe, Execute, Flush, FunctionCall, Parse, Query, Sync, Terminate. Not a password message: the
 * password is read here before the session (the `password` phase), and PGlite given one waits for an
 * exchange that never comes.
 */
const FRONTEND_TYPES = new Set([..."BCdcfDEHFPQSX"].map((c) => c.charCodeAt(0)));
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

/** A client broke the protocol: its connection ends with this FATAL message. */
export class ProtocolViolation extends Error {}

/** The first problem with the head of a start-up packet (its length, then its code), or null. Pure. */
export function startupProblem(length: number, code: number): string | null {
  if (length < 8 || length > MAX_STARTUP) return "invalid length of startup packet";
  if (code === SSL_REQUEST || code === GSS_REQUEST || code === CANCEL_REQUEST) return null;
  if (code >>> 16 !== 3) return `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: server supports 3.0 to 3.0`;
  return null;
}

/** The first problem with a message's type and declared length (the int32 after the type), or null. Pure. */
export function messageProblem(type: number, length: number): string | null {
  if (!FRONTEND_TYPES.has(type)) return `invalid frontend message type ${type}`;
  if (length < 4 || length > MAX_MESSAGE) return "invalid message length";
  return null;
}

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

/** An ErrorResponse (severity, SQLSTATE, message), as Postgres writes one. */
export function errorResponse(severity: "ERROR" | "FATAL", code: string, text: string): Buffer {
  return message("E", Buffer.concat([cstrings(`S${severity}`, `V${severity}`, `C${code}`, `M${text}`), Buffer.from([0])]));
}

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

/**
 * Listens on `host:port` and answers every connection from `db`; with `password`, only clients that give
 * it. `onError` hears of each connection a throw ended.
 */
export async function serveWire(
  db: PGlite,
  host: string,
  port: number,
  serverVersion: string,
  password: string | null = null,
  onError?: (report: GuardReport) => void,
): Promise<Server> {
  const turn = new Turn();
  const sockets = new Set<Socket>();
  let nextKey = 1;

  const server = createServer((socket) => {
    sockets.add(socket);
    const me = {};
    let phase: "startup" | "password" | "ready" = "startup";
    let inTransaction = false;
    const unread = new Unread();
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
        reply(Buffer.concat([errorResponse("ERROR", "42501", refused), message("Z", Buffer.from(inTransaction ? "E" : "I"))]));
        return;
      }
      await turn.take(me);
      let response: Uint8Array;
      try {
        response = await db.execProtocolRaw(data);
      } catch (error) {
        turn.release(me);
        reply(Buffer.concat([errorResponse("ERROR", "XX000", (error as Error).message), message("Z", Buffer.from("I"))]));
        return;
      }
      const status = lastStatus(response);
      if (status !== null) {
        inTransaction = status !== "I";
        if (!inTransaction) turn.release(me);
      }
      reply(response);
    };

    // A throw in either (a protocol violation, a bug) ends this connection with a FATAL message.
    const options = {
      name: "postgres",
      onError,
      answer: (out: Socket, requestId: string, error: unknown) => {
        const violation = error instanceof ProtocolViolation;
        const text = violation ? error.message : `internal error (request ${requestId}): ${(error as Error)?.message}`;
        out.write(errorResponse("FATAL", violation ? "08P01" : "XX000", text));
      },
    };
    const guardedRun = guardConnection(socket, run, options, (data: Buffer) => `message ${String.fromCharCode(data[0] ?? 0)}`);
    const onData = (chunk: Buffer) => {
      let pending = unread.add(chunk);
      if (pending === null) return;
      for (;;) {
        if (phase === "password") {
          if (pending.length < 5) return unread.wait(pending, 5);
          const declared = pending.readInt32BE(1);
          if (pending[0] !== 0x70 || declared < 4) throw new ProtocolViolation("expected a password message");
          if (declared > 1024) return void socket.end(refusal("password message too long"));
          if (pending.length < declared + 1) return unread.wait(pending, declared + 1);
          const data = pending.subarray(0, declared + 1);
          pending = pending.subarray(declared + 1);
          if (password === null || !passwordMatches(data, password)) return void socket.end(refusal("password authentication failed"));
          phase = "ready";
          socket.write(startupReply(serverVersion, nextKey++));
          continue;
        }
        if (phase === "startup") {
          if (pending.length < 8) return unread.wait(pending, 8);
          const length = pending.readInt32BE(0);
          const code = pending.readInt32BE(4);
          const problem = startupProblem(length, code);
          if (problem) throw new ProtocolViolation(problem);
          if (pending.length < length) return unread.wait(pending, length);
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
        if (pending.length < 5) return unread.wait(pending, 5);
        const declared = pending.readInt32BE(1);
        const problem = messageProblem(pending[0] ?? 0, declared);
        if (problem) throw new ProtocolViolation(problem);
        const length = 1 + declared;
        if (pending.length < length) return unread.wait(pending, length);
        // A copy: PGlite may keep or detach the bytes it is given.
        const data = Buffer.from(pending.subarray(0, length));
        pending = pending.subarray(length);
        queued++;
        chain = chain.then(() => {
          queued--;
          return guardedRun(data);
        });
      }
    };
    socket.on(
      "data",
      guardConnection(socket, onData, options, () => "bytes"),
    );
    const finish = async () => {
      sockets.delete(socket);
      await chain;
      if (!turn.holds(me)) return;
      // A client that left in the middle of an extended-protocol exchange (no Sync yet, perhaps after an
      // error) or of a transaction must leave neither to the next one: Sync, then roll back.
      try {
        const status = lastStatus(await db.execProtocolRaw(SYNC));
        if (inTransaction || (status !== null && status !== "I")) await db.exec("ROLLBACK");
      } catch {
        // The session is what it is; the next client sees its errors.
      }
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
