/**
 * A lean HTTP/1.1 front for the gateway's common case: requests without a body to a service route.
 * It parses request heads itself and writes answers straight to the socket, sparing the stream
 * objects `node:http` builds per request (measured as the largest cost of the gateway after the
 * kernel's). Anything else (a body, an upgrade, a static site, an unusual or malformed head) hands
 * the connection, at a request boundary, to the `node:http` server, which then serves it to the end.
 * The request and response objects here carry only what the gateway's handler uses.
 */
import type http from "node:http";
import net from "node:net";
import { type GuardReport, guardConnection } from "../http/guard.js";
import { parseHead } from "./lane-head.js";
import { LaneRequest, LaneResponse } from "./lane-response.js";

const HEAD_END = Buffer.from("\r\n\r\n");
/** The largest head the lane reads, node:http's own limit (`maxHeaderSize`): past it, node:http answers 431. */
export const MAX_HEAD = 16 * 1024;
const IDLE_MS = 65_000;
/** How long a request head may take to arrive, as nginx's `client_header_timeout` (60 s). */
export const HEAD_TIMEOUT_MS = 60_000;
const TIMED_OUT = "HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
const FAILED = "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/** True when `buffer` holds a LF not preceded by CR: a head no conforming client sends (node:http answers 400). */
function bareLf(buffer: Buffer): boolean {
  for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) if (at === 0 || buffer[at - 1] !== 13) return true;
  return false;
}

export interface LaneHooks<Route> {
  /** The route of a request the lane may serve (one to a service), else null. */
  route(method: string, url: string, host: string | undefined): Route | null;
  /** The gateway's request handler, given the route found. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, route: Route): void;
  /** Takes the connections the lane hands over. */
  readonly fallback: http.Server;
  /** Deadline for a request head, from its first byte (default `HEAD_TIMEOUT_MS`). */
  readonly headTimeoutMs?: number;
  /** Told of each connection a throw in the lane ended. */
  readonly onError?: (report: GuardReport) => void;
}

/** One client connection served by the lane until it closes or is handed over. */
class LaneConnection<Route> {
  private pending: Buffer | null = null;
  private current: LaneResponse | null = null;
  private handedOver = false;
  /** Armed while a head is incomplete: a head that never ends (slowloris) gets 408 and the connection closes. */
  private headTimer: NodeJS.Timeout | null = null;
  private readonly guardedData: (chunk: Buffer) => void;
  closeAfter = false;

  constructor(
    readonly socket: net.Socket,
    private readonly hooks: LaneHooks<Route>,
    private readonly connections: Set<LaneConnection<Route>>,
  ) {
    socket.setNoDelay(true);
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    // The lane's own work (reading heads, choosing the route) under the one guard: a throw ends this
    // connection with a 500, never the process. The handler it calls is guarded by the gateway.
    this.guardedData = guardConnection(socket, this.onData, { name: "gateway", onError: hooks.onError, answer: (out) => out.write(FAILED) });
    socket.on("data", this.guardedData);
    socket.on("error", () => socket.destroy());
    socket.on("close", this.onClose);
  }

  /** True while no answer is being written (close() may end the connection). */
  get idle(): boolean {
    return this.current === null;
  }

  private readonly onData = (chunk: Buffer): void => {
    this.pending = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.current === null) this.next();
  };

  private readonly onClose = (): void => {
    this.stopHeadTimer();
    this.connections.delete(this);
    if (this.current !== null && !this.handedOver) this.current.emitClose();
  };

  /** Called when an answer ended: go on with the next request, if any. */
  finished(res: LaneResponse): void {
    if (this.current !== res) return;
    this.current = null;
    if (this.closeAfter) {
      this.socket.end();
      return;
    }
    if (this.pending !== null) process.nextTick(() => this.next());
  }

  private next(): void {
    const buffer = this.pending;
    if (buffer === null || this.current !== null || this.handedOver || this.socket.destroyed) return;
    const end = buffer.indexOf(HEAD_END);
    if (end === -1) {
      // node:http answers these at once (431, 400); the lane would wait for a head end that never comes.
      if (buffer.length > MAX_HEAD || bareLf(buffer)) this.handOver();
      else if (this.headTimer === null) this.headTimer = setTimeout(this.headTimedOut, this.hooks.headTimeoutMs ?? HEAD_TIMEOUT_MS);
      return;
    }
    if (this.headTimer !== null) this.stopHeadTimer();
    if (end > MAX_HEAD) {
      this.handOver();
      return;
    }
    const parsed = parseHead(buffer.toString("latin1", 0, end));
    const route = parsed === null ? null : this.hooks.route(parsed.method, parsed.url, parsed.host);
    if (parsed === null || route === null) {
      this.handOver();
      return;
    }
    this.pending = end + 4 === buffer.length ? null : buffer.subarray(end + 4);
    const res = new LaneResponse(this, parsed.method, parsed.keepAlive, parsed.http10);
    this.current = res;
    const req = new LaneRequest(parsed.method, parsed.url, parsed.raw, this.socket, parsed.http10 ? "1.0" : "1.1");
    this.hooks.handle(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse, route);
  }

  private readonly headTimedOut = (): void => {
    this.headTimer = null;
    if (this.current !== null || this.socket.destroyed) return;
    this.pending = null;
    this.socket.end(TIMED_OUT);
    this.socket.destroySoon();
  };

  private stopHeadTimer(): void {
    if (this.headTimer === null) return;
    clearTimeout(this.headTimer);
    this.headTimer = null;
  }

  /** Gives the connection, from this request on, to the node:http server. */
  private handOver(): void {
    this.stopHeadTimer();
    this.handedOver = true;
    this.connections.delete(this);
    const socket = this.socket;
    socket.removeListener("data", this.guardedData);
    socket.removeListener("close", this.onClose);
    socket.setTimeout(0);
    if (this.pending !== null) socket.unshift(this.pending);
    this.pending = null;
    this.hooks.fallback.emit("connection", socket);
  }
}

export interface FastLane {
  readonly server: net.Server;
  /** Ends idle connections now, and busy ones once their answer ends. */
  closeConnections(force: boolean): void;
}

/** A TCP server whose connections start on the lane. */
export function createFastLane<Route>(hooks: LaneHooks<Route>): FastLane {
  // node:http enforces its deadlines (headersTimeout, requestTimeout) on the connections it tracks, and
  // starts tracking on its `listening` event; the fallback never listens itself, so tell it now.
  hooks.fallback.emit("listening");
  const connections = new Set<LaneConnection<Route>>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    connections.add(new LaneConnection(socket, hooks, connections));
  });
  return {
    server,
    closeConnections(force: boolean) {
      for (const connection of connections) {
        if (force || connection.idle) connection.socket.destroy();
        else connection.closeAfter = true;
      }
    },
  };
}
