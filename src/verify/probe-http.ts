/**
 * HTTP probes: one request to an entrance with the route's host name in Host and SNI, a redirect,
 * and a WebSocket upgrade. Certificates are not judged here (the TLS check does that), so a route
 * is still checked behind a certificate that fails.
 */
import { createHash, randomBytes } from "node:crypto";
import { type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { isIP } from "node:net";
import type { HttpRequest } from "./types.js";

export interface ProbeOptions {
  readonly timeoutMs: number;
  /** Extra trusted certificates (PEM), for a private CA. */
  readonly ca?: string;
}

export type HttpOutcome =
  | { readonly ok: true; readonly status: number; readonly headers: IncomingMessage["headers"]; readonly ms: number; readonly socket?: Socket }
  | { readonly ok: false; readonly error: string; readonly ms: number };

/** The Host header: the name, with the port when it is not the scheme's own. */
export function hostHeader(request: HttpRequest): string {
  const { scheme, port } = request.entrance;
  const name = request.host.includes(":") ? `[${request.host}]` : request.host;
  return port === (scheme === "https" ? 443 : 80) ? name : `${name}:${port}`;
}

/** A short reason from a socket or HTTP error. */
export function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === "ECONNREFUSED") return "connection refused";
  if (e?.code === "ENOTFOUND" || e?.code === "EAI_AGAIN") return `the name does not resolve (${e.code})`;
  if (e?.code === "ECONNRESET") return "connection reset";
  if (e?.code === "EHOSTUNREACH" || e?.code === "ENETUNREACH") return "host unreachable";
  return e?.code ? `${e.code}${e.message && !e.message.startsWith(e.code) ? `: ${e.message}` : ""}` : String(e?.message ?? error);
}

function send(request: HttpRequest, options: ProbeOptions, headers: Record<string, string>, upgrade: boolean): Promise<HttpOutcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const { entrance } = request;
  const connect = entrance.connect ?? request.host;
  const tls = entrance.scheme === "https";
  return new Promise((done) => {
    let settled = false;
    const finish = (outcome: HttpOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(outcome);
    };
    const common = {
      host: connect,
      port: entrance.port,
      path: request.path,
      method: "GET",
      agent: false as const,
      headers: { host: hostHeader(request), "user-agent": "cairn-verify", ...headers },
    };
    let req: ClientRequest;
    try {
      req = tls
        ? httpsRequest({
            ...common,
            servername: isIP(request.host) ? undefined : request.host,
            rejectUnauthorized: false,
            ...(options.ca ? { ca: options.ca } : {}),
          })
        : httpRequest(common);
    } catch (error) {
      // Node refuses some paths and headers before sending (unescaped characters).
      done({ ok: false, error: reason(error), ms: ms() });
      return;
    }
    const timer = setTimeout(() => {
      finish({ ok: false, error: `no answer within ${options.timeoutMs} ms`, ms: ms() });
      req.destroy();
    }, options.timeoutMs);
    req.on("response", (res) => {
      res.resume();
      finish({ ok: true, status: res.statusCode ?? 0, headers: res.headers, ms: ms() });
      res.destroy();
    });
    if (upgrade)
      req.on("upgrade", (res, socket) => {
        finish({ ok: true, status: res.statusCode ?? 101, headers: res.headers, ms: ms(), socket });
      });
    req.on("error", (error) => finish({ ok: false, error: reason(error), ms: ms() }));
    req.end();
  });
}

/** One GET; the body is not read. */
export function get(request: HttpRequest, options: ProbeOptions): Promise<HttpOutcome> {
  return send(request, options, { connection: "close" }, false);
}

const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** The `Sec-WebSocket-Accept` a server must answer to `key` (RFC 6455, 4.2.2). */
export function acceptFor(key: string): string {
  return createHash("sha1")
    .update(key + WEBSOCKET_GUID)
    .digest("base64");
}

/** A WebSocket opening handshake; the connection is closed as soon as the answer is read. */
export async function upgrade(request: HttpRequest, options: ProbeOptions): Promise<HttpOutcome & { readonly accepted?: boolean }> {
  const key = randomBytes(16).toString("base64");
  const outcome = await send(request, options, { connection: "Upgrade", upgrade: "websocket", "sec-websocket-key": key, "sec-websocket-version": "13" }, true);
  if (!outcome.ok) return outcome;
  outcome.socket?.destroy();
  return { ...outcome, accepted: outcome.status === 101 && outcome.headers["sec-websocket-accept"] === acceptFor(key) };
}
