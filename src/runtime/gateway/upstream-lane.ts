/**
 * Keep-alive HTTP/1.1 connections to one replica for requests without a body: the gateway's
 * common case. It writes the request head in one write and reads the answer with a parser of its
 * own (response-head.ts, chunked.ts), giving the body on as it arrives. Measured against undici's
 * pool for the same requests, it halves the gateway's CPU time outside the kernel (docs/gateway.md);
 * requests with a body still go through undici. The handler has undici's shape, so the proxy's
 * relay serves both.
 */
import net from "node:net";
import { ChunkedDecoder } from "./chunked.js";
import { parseResponseHead, type ResponseHead } from "./response-head.js";

/** The relay's side of an exchange (undici's handler shape, bodyless requests only). */
export interface UpstreamHandler {
  onConnect(abort: (reason?: Error) => void): void;
  onHeaders(status: number, raw: string[], resume: () => void): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: null): void;
  onError(error: Error): void;
}

export interface UpstreamRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  /** Header names and values; a Host header is added when absent. */
  readonly headers: readonly string[];
  /** Longest wait for the answer's head, then between pieces of its body. */
  readonly timeoutMs: number;
  /** On a new connection (a retry after a kept-alive one was found closed: others may be too). */
  readonly fresh?: boolean;
}

/** Errors carry a code the relay sorts on, like Node's own. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly code: "ECONNRESET" | "EPROTO" | "ETIMEDOUT_HEAD" | "ETIMEDOUT_BODY" | "ECANCELED" | "ECLOSED",
  ) {
    super(message);
  }
}

const HEAD_END = Buffer.from("\r\n\r\n");
/**
 * Every upstream connection reads into this one buffer (Node's `onread`), which spares a buffer
 * and a stream event per read; what must outlive a read is copied out of it. Reads are handled
 * one at a time on the event loop, so sharing it is safe.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const MAX_HEAD = 64 * 1024;
/** An idle connection older than this is not reused: the replica may be closing it (Node closes at 5 s). */
const REUSE_MS = 4_000;

/** One connection; serves one request at a time. */
class Connection {
  handler: UpstreamHandler | null = null;
  private method = "GET";
  private pending: Buffer | null = null;
  private head: ResponseHead | null = null;
  private left = 0;
  private decoder: ChunkedDecoder | null = null;
  private timeoutMs = 0;
  /** Counts requests, so a late `resume` of an earlier one does nothing. */
  private serial = 0;
  /** Bytes of an answer were read for the current request (a close before any says nothing of the request). */
  private answered = false;
  idleSince = 0;

  readonly socket: net.Socket;

  constructor(
    private readonly lane: UpstreamLane,
    host: string,
    port: number,
  ) {
    // Reads land in one shared buffer, handed over without stream machinery (see READ_BUFFER).
    const socket = net.connect({ host, port, onread: { buffer: READ_BUFFER, callback: this.onRead } });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on("error", this.onFailure);
    socket.on("close", this.onClose);
    socket.on("timeout", this.onTimeout);
  }

  start(request: UpstreamRequest, handler: UpstreamHandler, host: string): void {
    this.handler = handler;
    this.method = request.method;
    this.answered = false;
    this.head = null;
    if (this.timeoutMs !== request.timeoutMs) {
      this.timeoutMs = request.timeoutMs;
      this.socket.setTimeout(request.timeoutMs);
    }
    const headers = request.headers;
    let text = `${request.method} ${request.path} HTTP/1.1\r\n`;
    let hasHost = false;
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i] as string;
      if (name.length === 4 && name.toLowerCase() === "host") hasHost = true;
      text += `${name}: ${headers[i + 1]}\r\n`;
    }
    if (!hasHost) text += `host: ${host}\r\n`;
    const serial = ++this.serial;
    this.resume = () => {
      if (this.serial !== serial || this.handler === null || !this.socket.isPaused()) return;
      this.socket.setTimeout(this.timeoutMs);
      this.socket.resume();
    };
    handler.onConnect(this.abort);
    this.socket.write(`${text}\r\n`, "latin1");
  }

  private readonly abort = (reason?: Error): void => {
    this.fail(reason ?? new UpstreamError("the request was cancelled", "ECANCELED"));
  };

  /** Lets the current answer flow again after `hold` (the client caught up). */
  private resume: () => void = () => undefined;

  /** Stops reading while the client is slow; the wait is the client's, so it is not timed. */
  private hold(): void {
    this.socket.pause();
    this.socket.setTimeout(0);
  }

  /** Bytes `0..size` of READ_BUFFER arrived; they must be copied to outlive this call. */
  private readonly onRead = (size: number, shared: Buffer): boolean => {
    if (this.handler === null) {
      // Bytes nobody asked for: the connection cannot be trusted with another request.
      this.socket.destroy();
      return false;
    }
    this.answered = true;
    const chunk = shared.subarray(0, size);
    try {
      if (this.head === null) {
        const buffer = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
        this.pending = null;
        this.readHead(buffer);
      } else this.readBody(chunk, 0);
    } catch (error) {
      // A handler that throws (an answer the client side refuses) ends this exchange, not the process.
      this.fail(error as Error);
    }
    return true;
  };

  private readHead(buffer: Buffer): void {
    let from = 0;
    for (;;) {
      const end = buffer.indexOf(HEAD_END, from);
      if (end === -1) {
        if (buffer.length - from > MAX_HEAD) this.fail(new UpstreamError(`an answer head over ${MAX_HEAD} bytes`, "EPROTO"));
        else this.pending = Buffer.from(buffer.subarray(from));
        return;
      }
      const head = parseResponseHead(buffer.toString("latin1", from, end), this.method);
      if (head === null) {
        this.fail(new UpstreamError("a malformed answer head", "EPROTO"));
        return;
      }
      from = end + 4;
      // 1xx answers (103 Early Hints) precede the final one; the gateway does not relay them.
      if (head.status >= 200) {
        this.head = head;
        break;
      }
    }
    const head = this.head;
    const handler = this.handler as UpstreamHandler;
    if (head.framing.kind === "length") this.left = head.framing.length;
    else if (head.framing.kind === "chunked") this.decoder = new ChunkedDecoder();
    if (!handler.onHeaders(head.status, head.raw, this.resume)) this.hold();
    if (this.handler !== handler) return;
    if (head.framing.kind === "none") this.complete(buffer.length > from);
    else if (from < buffer.length) this.readBody(buffer, from);
  }

  private readBody(buffer: Buffer, from: number): void {
    const head = this.head as ResponseHead;
    const handler = this.handler as UpstreamHandler;
    switch (head.framing.kind) {
      case "length": {
        const end = Math.min(buffer.length, from + this.left);
        this.left -= end - from;
        this.give(handler, buffer.subarray(from, end));
        if (this.left === 0 && this.handler === handler) this.complete(end < buffer.length);
        return;
      }
      case "chunked": {
        const decoder = this.decoder as ChunkedDecoder;
        const end = decoder.feed(buffer, from, (piece) => {
          if (this.handler === handler) this.give(handler, piece);
        });
        if (end === -1) this.fail(new UpstreamError("a malformed chunked body", "EPROTO"));
        else if (decoder.done && this.handler === handler) this.complete(end < buffer.length);
        return;
      }
      default:
        this.give(handler, buffer.subarray(from));
    }
  }

  /** Hands a piece of body on, as a copy: the read buffer is reused by the next read. */
  private give(handler: UpstreamHandler, piece: Buffer): void {
    if (piece.length > 0 && !handler.onData(Buffer.from(piece))) this.hold();
  }

  /** The answer ended; `extra` says more bytes followed it, which a one-at-a-time connection never gets. */
  private complete(extra: boolean): void {
    const handler = this.handler as UpstreamHandler;
    const reusable = (this.head as ResponseHead).keepAlive && !extra;
    this.handler = null;
    this.head = null;
    this.decoder = null;
    if (reusable) {
      // Held for a slow client on its last piece: the next answer must flow again, and be timed.
      if (this.socket.isPaused()) {
        this.socket.setTimeout(this.timeoutMs);
        this.socket.resume();
      }
      this.lane.release(this);
    } else {
      this.socket.destroy();
      this.lane.forget(this);
    }
    handler.onComplete(null);
  }

  /** Ends the current request with an error and drops the connection. */
  private fail(error: Error): void {
    const handler = this.handler;
    this.handler = null;
    this.socket.destroy();
    this.lane.forget(this);
    handler?.onError(error);
  }

  private readonly onFailure = (error: NodeJS.ErrnoException): void => {
    // Writing to a connection the replica has just closed: the same as a close before the answer.
    if (!this.answered && (error.code === "EPIPE" || error.code === "ECONNRESET") && this.handler !== null)
      this.fail(new UpstreamError("the replica closed the connection before answering", "ECONNRESET"));
    else this.fail(error);
  };

  private readonly onClose = (): void => {
    if (this.handler === null) {
      this.lane.forget(this);
      return;
    }
    if (this.head !== null && this.head.framing.kind === "close") {
      this.head = null;
      const handler = this.handler;
      this.handler = null;
      this.lane.forget(this);
      handler.onComplete(null);
      return;
    }
    const what = this.answered ? "closed the connection in the middle of its answer" : "closed the connection before answering";
    // A reused connection closed before any answer: the replica let it go idle (the relay may retry).
    this.fail(new UpstreamError(`the replica ${what}`, this.answered ? "ECLOSED" : "ECONNRESET"));
  };

  private readonly onTimeout = (): void => {
    if (this.handler === null) {
      this.socket.destroy();
      return;
    }
    const head = this.head === null;
    this.fail(new UpstreamError(head ? "no answer in time" : "the answer stalled", head ? "ETIMEDOUT_HEAD" : "ETIMEDOUT_BODY"));
  };
}

/** The connections to one replica. */
export class UpstreamLane {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private closed = false;
  private readonly hostHeader: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.hostHeader = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  }

  /** Sends a bodyless request; the handler hears of its answer or its failure. */
  dispatch(request: UpstreamRequest, handler: UpstreamHandler): void {
    if (this.closed) {
      handler.onError(new UpstreamError("the replica is being removed", "ECONNRESET"));
      return;
    }
    const now = Date.now();
    let connection: Connection | undefined = request.fresh ? undefined : this.idle.pop();
    while (connection !== undefined && (!connection.socket.writable || now - connection.idleSince > REUSE_MS)) {
      connection.socket.destroy();
      this.all.delete(connection);
      connection = this.idle.pop();
    }
    if (connection === undefined) {
      connection = new Connection(this, this.host, this.port);
      this.all.add(connection);
    }
    connection.start(request, handler, this.hostHeader);
  }

  release(connection: Connection): void {
    if (this.closed) {
      connection.socket.destroy();
      this.all.delete(connection);
      return;
    }
    connection.idleSince = Date.now();
    this.idle.push(connection);
  }

  forget(connection: Connection): void {
    this.all.delete(connection);
    const at = this.idle.indexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
  }

  /** Connections open now (for tests). */
  get size(): number {
    return this.all.size;
  }

  /** Closes idle connections now and busy ones when their answer ends; with `force`, all now. */
  close(force = false): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) {
      connection.socket.destroy();
      this.all.delete(connection);
    }
    if (force) for (const connection of [...this.all]) connection.socket.destroy();
  }
}
