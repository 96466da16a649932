/** The request and answer objects of the lean lane: only what the gateway's handler uses. */
import http from "node:http";
import type net from "node:net";

/** The connection an answer is written on. */
export interface LaneOwner {
  readonly socket: net.Socket;
  /** Close the connection once the current answer ends. */
  closeAfter: boolean;
  finished(res: LaneResponse): void;
}

/** Largest first piece of a body sent in the same write as the head. */
const SMALL = 16 * 1024;

let dateSecond = 0;
let dateText = "";
function httpDate(): string {
  const now = Date.now();
  if (now - dateSecond >= 1000) {
    dateSecond = now - (now % 1000);
    dateText = new Date(dateSecond).toUTCString();
  }
  return dateText;
}

/** What the handler reads from a request. */
export class LaneRequest {
  private parsed: Record<string, string> | null = null;
  constructor(
    readonly method: string,
    readonly url: string,
    readonly rawHeaders: string[],
    readonly socket: net.Socket,
    readonly httpVersion: string,
  ) {}
  /** A lane request has no body: nothing to drain (the guard calls this before an error answer). */
  resume(): this {
    return this;
  }
  get headers(): Record<string, string> {
    if (this.parsed === null) {
      const parsed: Record<string, string> = {};
      for (let i = 0; i < this.rawHeaders.length; i += 2) parsed[(this.rawHeaders[i] as string).toLowerCase()] = this.rawHeaders[i + 1] as string;
      this.parsed = parsed;
    }
    return this.parsed;
  }
}

/** An answer written straight to the socket: chunked when the length is unknown (closed, to HTTP/1.0). */
export class LaneResponse {
  statusCode = 200;
  headersSent = false;
  writableFinished = false;
  private head: string | null = null;
  private chunked = false;
  private bodyless: boolean;
  private closed = false;
  private listeners: (() => void)[] = [];

  constructor(
    private readonly lane: LaneOwner,
    method: string,
    private readonly keepAlive: boolean,
    private readonly http10 = false,
  ) {
    this.bodyless = method === "HEAD";
  }

  get destroyed(): boolean {
    return this.lane.socket.destroyed;
  }

  writeHead(status: number, headers?: readonly string[] | Record<string, string | number>): this {
    // The proxy passes a raw list (used as it is); the gateway's own answers pass an object.
    let list: readonly string[] = [];
    if (Array.isArray(headers)) list = headers;
    else if (headers) list = Object.entries(headers).flatMap(([k, v]) => [k, String(v)]);
    let text = `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Unknown"}\r\n`;
    let length = false;
    let date = false;
    let close = !this.keepAlive;
    for (let i = 0; i < list.length; i += 2) {
      const name = list[i] as string;
      const lower = name.length === 14 || name.length === 10 || name.length === 4 ? name.toLowerCase() : "";
      if (lower === "content-length") length = true;
      else if (lower === "date") date = true;
      else if (lower === "connection") {
        if ((list[i + 1] as string).toLowerCase() === "close") close = true;
        continue;
      }
      text += `${name}: ${list[i + 1]}\r\n`;
    }
    if (status === 204 || status === 304 || status < 200) this.bodyless = true;
    if (!length && !this.bodyless) {
      // An HTTP/1.0 client knows no chunks: the end of the connection ends the body.
      if (this.http10) close = true;
      else {
        this.chunked = true;
        text += "transfer-encoding: chunked\r\n";
      }
    }
    if (!date) text += `date: ${httpDate()}\r\n`;
    text += close ? "connection: close\r\n\r\n" : "connection: keep-alive\r\n\r\n";
    if (close) this.lane.closeAfter = true;
    this.head = text;
    this.statusCode = status;
    this.headersSent = true;
    return this;
  }

  write(chunk: Buffer | string): boolean {
    const socket = this.lane.socket;
    if (this.closed || socket.destroyed) return false;
    if (!this.headersSent) this.writeHead(this.statusCode);
    if (this.head !== null && !this.chunked && !this.bodyless && typeof chunk !== "string" && chunk.length <= SMALL) {
      // Head and a small first piece in one write: latin1 carries the bytes as they are.
      socket.write(this.head + chunk.toString("latin1"), "latin1");
      this.head = null;
      return !socket.writableNeedDrain;
    }
    socket.cork();
    this.flushHead(socket);
    this.body(socket, chunk);
    socket.uncork();
    return !socket.writableNeedDrain;
  }

  end(chunk?: Buffer | string): this {
    const socket = this.lane.socket;
    if (this.writableFinished || this.closed) return this;
    if (!this.headersSent) this.writeHead(this.statusCode, chunk === undefined ? { "content-length": 0 } : { "content-length": Buffer.byteLength(chunk) });
    if (!socket.destroyed) {
      socket.cork();
      this.flushHead(socket);
      if (chunk !== undefined) this.body(socket, chunk);
      if (this.chunked) socket.write("0\r\n\r\n", "latin1");
      socket.uncork();
    }
    this.writableFinished = true;
    this.lane.finished(this);
    this.emitClose();
    return this;
  }

  destroy(): void {
    this.lane.socket.destroy();
  }

  on(event: string, listener: () => void): this {
    if (event === "close") this.listeners.push(listener);
    else if (event === "drain") this.lane.socket.on("drain", listener);
    return this;
  }

  once(event: string, listener: () => void): this {
    if (event === "close") this.listeners.push(listener);
    else if (event === "drain") this.lane.socket.once("drain", listener);
    return this;
  }

  /** Runs the close listeners once (the answer ended, or the client went away). */
  emitClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.listeners) listener();
  }

  private flushHead(socket: net.Socket): void {
    if (this.head === null) return;
    socket.write(this.head, "latin1");
    this.head = null;
  }

  private body(socket: net.Socket, chunk: Buffer | string): void {
    if (this.bodyless) return;
    const size = typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    if (size === 0) return;
    if (this.chunked) socket.write(`${size.toString(16)}\r\n`, "latin1");
    socket.write(chunk);
    if (this.chunked) socket.write("\r\n", "latin1");
  }
}
