/**
 * WebSocket (and any HTTP/1.1 Upgrade) pass-through: the upgrade request goes to a replica with the
 * same headers as a plain request plus `Connection: Upgrade`; once the replica answers 101 the two
 * sockets are piped together and the gateway stays out of the frames.
 */
import http, { type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { describeError } from "../health/probe.js";
import { type Problem, renderProblem } from "./answers.js";
import { cookieValue, responseHeaders } from "./headers.js";
import type { Pool, Target } from "./pool.js";

export interface UpgradeExchange {
  readonly req: IncomingMessage;
  readonly socket: Duplex;
  readonly head: Buffer;
  readonly id: string;
  readonly pool: Pool;
  readonly path: string;
  readonly headers: string[];
  readonly cookie: string | undefined;
  /** Called once with the outcome, for the access log. */
  readonly done: (status: number, target: Target | null, error: string | null) => void;
  /** Open tunnels, so that close() can end them. */
  readonly tunnels: Set<Duplex>;
}

/** Writes a whole HTTP answer on a raw socket and closes it. */
export function refuseUpgrade(socket: Duplex, req: IncomingMessage, problem: Problem): void {
  const { type, body } = renderProblem(problem, req.headers.accept);
  const extra = Object.entries(problem.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  socket.end(
    `HTTP/1.1 ${problem.status} ${http.STATUS_CODES[problem.status] ?? ""}\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${problem.requestId}\r\n${extra}connection: close\r\n\r\n${body}`,
  );
}

function headBlock(statusLine: string, raw: readonly string[]): string {
  let text = `${statusLine}\r\n`;
  for (let i = 0; i < raw.length; i += 2) text += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return `${text}\r\n`;
}

export function forwardUpgrade(ex: UpgradeExchange): void {
  const plan = ex.pool.plan;
  let target: Target | null = null;
  if (plan.stickyMs !== null) {
    const id = cookieValue(ex.cookie, plan.cookie);
    if (id !== null) target = ex.pool.healthyById(id);
  }
  target ??= ex.pool.pick(null);
  if (target === null) {
    const reason = ex.pool.unavailableReason();
    refuseUpgrade(ex.socket, ex.req, { status: 503, service: plan.name, reason, requestId: ex.id });
    ex.done(503, null, reason);
    return;
  }
  attempt(ex, target, 1);
}

function attempt(ex: UpgradeExchange, target: Target, attempts: number): void {
  const headers = [...ex.headers, "connection", "Upgrade", "upgrade", ex.req.headers.upgrade ?? "websocket"];
  const up = http.request({ host: target.host, port: target.port, method: ex.req.method, path: ex.path, headers, agent: false });
  const clientGone = () => up.destroy();
  ex.socket.once("close", clientGone);
  up.on("upgrade", (upRes, upSocket, upHead) => {
    ex.socket.off("close", clientGone);
    ex.socket.write(headBlock(`HTTP/1.1 101 ${upRes.statusMessage || "Switching Protocols"}`, upRes.rawHeaders));
    if (upHead.length > 0) ex.socket.write(upHead);
    if (ex.head.length > 0) upSocket.write(ex.head);
    ex.tunnels.add(ex.socket);
    const end = () => {
      ex.tunnels.delete(ex.socket);
      upSocket.destroy();
      ex.socket.destroy();
    };
    upSocket.on("error", end).on("close", end);
    ex.socket.on("error", end).on("close", end);
    upSocket.pipe(ex.socket);
    ex.socket.pipe(upSocket);
    ex.done(101, target, null);
  });
  up.on("response", (upRes) => {
    // The replica refused the upgrade: relay its answer, delimited by closing the connection.
    ex.socket.off("close", clientGone);
    ex.socket.write(headBlock(`HTTP/1.1 ${upRes.statusCode} ${upRes.statusMessage ?? ""}`, [...responseHeaders(upRes.rawHeaders), "connection", "close"]));
    upRes.pipe(ex.socket);
    ex.done(upRes.statusCode ?? 502, target, "the replica refused the upgrade");
  });
  up.on("error", (error) => {
    ex.socket.off("close", clientGone);
    if (ex.socket.destroyed) return;
    target.suspect = true;
    const next = attempts < 3 ? ex.pool.pick(target) : null;
    if (next !== null) {
      attempt(ex, next, attempts + 1);
      return;
    }
    const reason = `${describeError(error, target)} from replica ${target.id}`;
    refuseUpgrade(ex.socket, ex.req, { status: 502, service: ex.pool.name, reason, requestId: ex.id });
    ex.done(502, target, reason);
  });
  up.end();
}
