/**
 * Forwards one HTTP request to a replica and streams the answer back. A connection that fails
 * before any answer is retried on another healthy replica when the request is idempotent and has
 * no body; the replica is marked suspect so the next requests avoid it until its health check passes.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { sendProblem } from "./answers.js";
import { cookieValue, idempotent, responseHeaders } from "./headers.js";
import type { Pool, Target } from "./pool.js";
import { describeError } from "./probe.js";

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
  readonly maxBody: number;
  readonly cookie: string | undefined;
  /** Target chosen by the current attempt. */
  target: Target | null;
  /** Why the gateway itself answered or cut the exchange (access log). */
  error: string | null;
  attempts: number;
  /** Set-Cookie value pinning the client to its replica, when the service is sticky. */
  stickyCookie: string | null;
}

const MAX_ATTEMPTS = 3;

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
  if (plan.stickyMs !== null && !pinned) setSticky(ex, target);
  send(ex, target);
}

function setSticky(ex: Exchange, target: Target): void {
  const plan = ex.pool.plan;
  ex.stickyCookie = `${plan.cookie}=${encodeURIComponent(target.id)}; Max-Age=${Math.ceil((plan.stickyMs ?? 0) / 1000)}; Path=/; HttpOnly; SameSite=Lax`;
}

function send(ex: Exchange, target: Target): void {
  ex.target = target;
  ex.attempts++;
  target.active++;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    target.active--;
  };
  const up = http.request({
    host: target.host,
    port: target.port,
    method: ex.req.method,
    path: ex.path,
    headers: ex.headers,
    agent: target.agent,
  });
  const timeoutMs = ex.pool.plan.timeoutMs;
  up.setTimeout(timeoutMs, () => {
    ex.error = `${target.label} did not answer within ${timeoutMs} ms`;
    up.destroy();
    release();
    sendProblem(ex.req, ex.res, { status: 504, service: ex.pool.name, reason: ex.error, requestId: ex.id });
  });
  up.on("response", (upRes) => onResponse(ex, upRes, release));
  up.on("error", (error) => {
    release();
    if (ex.res.headersSent || ex.res.destroyed) {
      ex.res.destroy();
      return;
    }
    if (ex.error !== null) return; // already answered (timeout, body too large)
    const reused = up.reusedSocket && (error as NodeJS.ErrnoException).code === "ECONNRESET";
    if (!reused) target.suspect = true;
    if (!ex.hasBody && idempotent(ex.req.method) && ex.attempts < MAX_ATTEMPTS) {
      // A keep-alive connection the replica closed as we reused it: the replica may still be fine.
      const next = ex.pool.pick(target) ?? (reused ? target : null);
      if (next !== null) {
        send(ex, next);
        return;
      }
    }
    ex.error = `${describeError(error, target)} from replica ${target.id}`;
    sendProblem(ex.req, ex.res, { status: 502, service: ex.pool.name, reason: ex.error, requestId: ex.id });
  });
  ex.res.once("close", () => {
    if (!ex.res.writableFinished) up.destroy();
  });
  if (!ex.hasBody) {
    up.end();
    return;
  }
  pipeBody(ex, up);
}

function pipeBody(ex: Exchange, up: http.ClientRequest): void {
  let seen = 0;
  ex.req.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > ex.maxBody && ex.error === null) {
      ex.error = `request body over ${ex.maxBody} bytes`;
      ex.req.unpipe(up);
      up.destroy();
      sendProblem(ex.req, ex.res, {
        status: 413,
        service: ex.pool.name,
        reason: `the body is larger than ${ex.maxBody} bytes`,
        requestId: ex.id,
        headers: { connection: "close" },
      });
    }
  });
  ex.req.pipe(up);
}

function onResponse(ex: Exchange, upRes: IncomingMessage, release: () => void): void {
  const res = ex.res;
  if (res.headersSent || ex.error !== null) {
    upRes.resume();
    release();
    return;
  }
  const headers = responseHeaders(upRes.rawHeaders);
  headers.push("x-request-id", ex.id);
  if (ex.stickyCookie !== null) headers.push("set-cookie", ex.stickyCookie);
  res.writeHead(upRes.statusCode ?? 502, headers);
  upRes.on("end", release);
  upRes.on("error", () => {
    release();
    res.destroy();
  });
  upRes.pipe(res);
}
