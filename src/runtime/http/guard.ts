/**
 * One guard for every server Cairn runs (the gateway, the S3 and DynamoDB endpoints, the console and any
 * server added later): whatever a request handler throws or rejects with answers that one request, with
 * its request id, is reported, and never reaches the process. A malformed request is a normal input.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** A request handler; it may be async. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface GuardOptions {
  /** Who is answering, for the report (`s3`, `dynamodb`, `gateway`...). */
  readonly name: string;
  /** Told of each throw, with the request id it was answered with. */
  readonly onError?: (report: GuardReport) => void;
  /** Writes the error answer in the server's own format; the default is plain text. */
  readonly answer?: (res: ServerResponse, status: number, requestId: string, error: unknown) => void;
}

export interface GuardReport {
  readonly server: string;
  readonly requestId: string;
  readonly method: string;
  /** The request target as received, cut to 200 characters. */
  readonly url: string;
  readonly status: number;
  readonly error: unknown;
}

/** A request id: 16 hex characters, as S3's `x-amz-request-id` looks. */
export function newRequestId(): string {
  return randomBytes(8).toString("hex").toUpperCase();
}

/** Status for an error nobody classified: a malformed URL is the client's fault, anything else ours. */
export function statusOf(error: unknown): number {
  if (error instanceof URIError) return 400;
  if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === "ERR_INVALID_URL") return 400;
  return 500;
}

function plainAnswer(res: ServerResponse, status: number, requestId: string): void {
  const body = `${status === 400 ? "bad request" : "internal error"} (request ${requestId})\n`;
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "x-request-id": requestId,
    connection: "close",
  });
  res.end(body);
}

/** Wraps a handler: a throw or a rejection answers that request (or ends its connection if the answer began). */
export function guard(handler: Handler, options: GuardOptions): Handler {
  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown) => {
    const requestId = newRequestId();
    const status = statusOf(error);
    try {
      options.onError?.({ server: options.name, requestId, method: String(req.method), url: String(req.url).slice(0, 200), status, error });
    } catch {
      // A failing reporter must not turn one bad request into a dead process either.
    }
    try {
      req.resume();
      if (res.headersSent || res.writableEnded) res.destroy();
      else (options.answer ?? plainAnswer)(res, status, requestId, error);
    } catch {
      res.destroy();
    }
  };
  return (req, res) => {
    try {
      const result = handler(req, res);
      if (result instanceof Promise) result.catch((error: unknown) => fail(req, res, error));
    } catch (error) {
      fail(req, res, error);
    }
    return undefined;
  };
}

/**
 * Answers what node:http could not parse (a bad head, bare LF, a head too large) with 400 or 431 and closes,
 * instead of the default silent reset; a socket error after that is ignored.
 */
export function guardClientErrors(server: Server): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    const status =
      error.code === "HPE_HEADER_OVERFLOW"
        ? "431 Request Header Fields Too Large"
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? "408 Request Timeout"
          : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });
}
