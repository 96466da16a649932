/**
 * Forwards one HTTP request to a replica and streams the answer back, through the replica's undici
 * pool (keep-alive connections, no per-request socket or header objects: measured about twice as
 * fast as node:http's client here, see docs/gateway.md). A connection that fails before any answer
 * is retried on another healthy replica when the request is idempotent and has no body; the replica
 * is marked suspect so the next requests avoid it until its health check passes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { describeError } from "../health/probe.js";
import { sendProblem } from "./answers.js";
import { cookieValue, idempotent, responseHeaders } from "./headers.js";
import type { Pool, Target } from "./pool.js";
import type { UpstreamHandler } from "./upstream-lane.js";

/** One request on its way through the gateway. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly id: string;
  readonly pool: Pool;
  /** Path and query sent upstream. */
  readonly path: string;
  /** Headers sent upstream (raw list). */
  readonly headers: string[];
  readonly hasBody: boolean;
  /** The body comes without a length (chunked). */
  readonly chunked: boolean;
  readonly maxBody: number;
  readonly cookie: string | undefined;
  /** Target chosen by the current attempt. */
  target: Target | null;
  /** Why the gateway itself answered or cut the exchange (access log). */
  error: string | null;
  attempts: number;
  /** Set-Cookie value pinning the client to its replica, when the service is sticky. */
  stickyCookie: string | null;
  /** Cancels the upstream request (the client went away, or the body is too large). */
  cancel: ((reason?: Error) => void) | null;
}

const MAX_ATTEMPTS = 3;
const CONNECT_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);
/** No answer head within the service's timeout (undici's code, the upstream lane's). */
const HEAD_TIMEOUTS = new Set(["UND_ERR_HEADERS_TIMEOUT", "ETIMEDOUT_HEAD"]);

/** Chooses the replica (the sticky one when the cookie names a healthy one) and sends. */
export function forward(ex: Exchange): void {
  const plan = ex.pool.plan;
  let target: Target | null = null;
  let pinned = false;
  if (plan.stickyMs !== null) {
    const id = cookieValue(ex.cookie, plan.cookie);
    if (id !== null) {
      target = ex.pool.healthyById(id);
      pinned = target !== null;
    }
  }
  if (target === null) target = ex.pool.pick(null);
  if (target === null) {
    ex.error = ex.pool.unavailableReason();
    sendProblem(ex.req, ex.res, { status: 503, service: plan.name, reason: ex.error, requestId: ex.id });
    return;
  }
  if (plan.stickyMs !== null && !pinned)
    ex.stickyCookie = `${plan.cookie}=${encodeURIComponent(target.id)}; Max-Age=${Math.ceil(plan.stickyMs / 1000)}; Path=/; HttpOnly; SameSite=Lax`;
  send(ex, target);
}

/** A body of unknown length, counted as it streams: past the limit, the gateway answers 413 and cuts it. */
async function* limited(ex: Exchange): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of ex.req as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > ex.maxBody) {
      ex.error = `request body over ${ex.maxBody} bytes`;
      const reason = `the body is larger than ${ex.maxBody} bytes`;
      sendProblem(ex.req, ex.res, { status: 413, service: ex.pool.name, reason, requestId: ex.id, headers: { connection: "close" } });
      throw new Error(ex.error);
    }
    yield chunk;
  }
}

function send(ex: Exchange, target: Target): void {
  ex.target = target;
  ex.attempts++;
  target.active++;
  const handler = new Relay(ex, target);
  const timeout = ex.pool.plan.timeoutMs;
  if (!ex.hasBody) {
    const fresh = ex.attempts > 1;
    target.lane.dispatch({ method: ex.req.method ?? "GET", path: ex.path, headers: ex.headers, timeoutMs: timeout, fresh }, handler);
    return;
  }
  try {
    target.client.dispatch(
      {
        origin: target.origin,
        method: ex.req.method as Dispatcher.HttpMethod,
        path: ex.path,
        headers: ex.headers,
        // A declared length was checked against the limit already; only a chunked body is counted.
        body: ex.hasBody ? (ex.chunked ? Readable.from(limited(ex), { objectMode: false }) : ex.req) : null,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      },
      handler,
    );
  } catch (error) {
    handler.onError(error as Error);
  }
}

/** Streams the replica's answer to the client, with backpressure; decides on retries and errors. */
class Relay implements Dispatcher.DispatchHandler, UpstreamHandler {
  private released = false;
  private resume: (() => void) | null = null;
  private waiting = false;

  constructor(
    private readonly ex: Exchange,
    private readonly target: Target,
  ) {}

  onConnect(abort: (error?: Error) => void): void {
    this.ex.cancel = abort;
  }

  onHeaders(status: number, raw: (Buffer | string)[], resume: () => void): boolean {
    if (status < 200) return true; // 1xx: the final answer follows
    const ex = this.ex;
    const res = ex.res;
    if (res.headersSent || ex.error !== null) return true;
    const headers = responseHeaders(raw);
    headers.push("x-request-id", ex.id);
    if (ex.stickyCookie !== null) headers.push("set-cookie", ex.stickyCookie);
    res.writeHead(status, headers);
    this.resume = resume;
    return true;
  }

  onData(chunk: Buffer): boolean {
    const res = this.ex.res;
    if (res.write(chunk)) return true;
    // One wait per stall, however many pieces arrive before the replica's side stops.
    if (this.resume && !this.waiting) {
      this.waiting = true;
      res.once("drain", () => {
        this.waiting = false;
        this.resume?.();
      });
    }
    return false;
  }

  onComplete(): void {
    this.release();
    this.ex.cancel = null;
    this.ex.res.end();
  }

  onError(error: Error): void {
    this.release();
    const ex = this.ex;
    ex.cancel = null;
    const res = ex.res;
    if (ex.error !== null) return; // the gateway answered already (body too large, client gone)
    if (res.headersSent || res.destroyed) {
      ex.error = `${this.target.label}: ${error.message}`;
      res.destroy();
      return;
    }
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (HEAD_TIMEOUTS.has(code)) {
      ex.error = `${this.target.label} did not answer within ${ex.pool.plan.timeoutMs} ms`;
      sendProblem(ex.req, res, { status: 504, service: ex.pool.name, reason: ex.error, requestId: ex.id });
      return;
    }
    if (CONNECT_ERRORS.has(code)) {
      // A keep-alive connection the replica closed as we reused it says nothing about its health.
      const closedIdle = code === "UND_ERR_SOCKET" || code === "ECONNRESET";
      if (!closedIdle) this.target.suspect = true;
      if (!ex.hasBody && idempotent(ex.req.method) && ex.attempts < MAX_ATTEMPTS) {
        const next = ex.pool.pick(this.target) ?? (closedIdle ? this.target : null);
        if (next !== null) {
          send(ex, next);
          return;
        }
      }
    }
    ex.error = `${code.startsWith("E") ? describeError(error, this.target) : error.message} from replica ${this.target.id}`;
    sendProblem(ex.req, res, { status: 502, service: ex.pool.name, reason: ex.error, requestId: ex.id });
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.target.active--;
  }
}
