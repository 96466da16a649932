/**
 * One guard for every server Cairn runs (the gateway, the S3 and DynamoDB endpoints, the Postgres wire
 * server, the console and any server added later): whatever a request handler throws or rejects with
 * answers that one request (or, for a protocol other than HTTP, ends that one connection with an error
 * message), with its request id, is reported, and never reaches the process. A malformed request is a
 * normal input.
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
  readonly answer?: (res: ServerResponse, status: number, requestId: string, error: unknown, req: IncomingMessage) => void;
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

/** One log line for a report: which server, which request, what it was answered, why. */
export function describeReport(report: GuardReport): string {
  const why = report.error instanceof Error ? report.error.message : String(report.error);
  const what = report.url ? `${report.method} ${JSON.stringify(report.url).slice(1, -1)}` : report.method;
  return `${report.server}: request ${report.requestId} (${what}) answered ${report.status}: ${why.split("\n")[0]?.slice(0, 300)}`;
}

function tell(options: Pick<GuardOptions, "onError">, report: GuardReport): void {
  try {
    options.onError?.(report);
  } catch {
    // A failing reporter must not turn one bad request into a dead process either.
  }
}

/**
 * Wraps a handler: a throw or a rejection answers that request (or ends its connection if the answer
 * began). One argument after the response (the gateway's matched route) is passed through: a fixed
 * parameter, not a rest one, as this runs on every request.
 */
export function guard<E = undefined>(
  handler: (req: IncomingMessage, res: ServerResponse, extra?: E) => unknown,
  options: GuardOptions,
): (req: IncomingMessage, res: ServerResponse, extra?: E) => undefined {
  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown) => {
    const requestId = newRequestId();
    const status = statusOf(error);
    tell(options, { server: options.name, requestId, method: String(req.method), url: String(req.url).slice(0, 200), status, error });
    try {
      req.resume();
      if (res.headersSent || res.writableEnded) res.destroy();
      else (options.answer ?? plainAnswer)(res, status, requestId, error, req);
    } catch {
      res.destroy();
    }
  };
  return (req, res, extra) => {
    try {
      const result = handler(req, res, extra);
      if (result instanceof Promise) result.catch((error: unknown) => fail(req, res, error));
    } catch (error) {
      fail(req, res, error);
    }
    return undefined;
  };
}

export interface ConnectionGuardOptions {
  /** Who is answering, for the report (`postgres`...). */
  readonly name: string;
  readonly onError?: (report: GuardReport) => void;
  /** Writes the protocol's own error message on the socket before it is closed. */
  readonly answer?: (socket: Socket, requestId: string, error: unknown) => void;
}

/**
 * The guard for a server that speaks another protocol than HTTP over `node:net` (the Postgres wire
 * server): wraps what handles a connection's bytes, so that a throw or a rejection answers with the
 * protocol's error message and ends that one connection, is reported, and never reaches the process.
 * `what` names the failing message for the report. The wrapped function returns the handler's promise,
 * made to never reject, so a caller may still wait for it.
 */
export function guardConnection<A extends unknown[]>(
  socket: Socket,
  handler: (...args: A) => unknown,
  options: ConnectionGuardOptions,
  what: (...args: A) => string = () => "",
): (...args: A) => Promise<void> | undefined {
  let failed = false;
  const fail = (args: A, error: unknown) => {
    if (failed) return;
    failed = true;
    const requestId = newRequestId();
    let label = "";
    try {
      label = what(...args);
    } catch {
      // The label is for the report only.
    }
    tell(options, { server: options.name, requestId, method: label.slice(0, 200) || "connection", url: "", status: 500, error });
    try {
      if (socket.writable) options.answer?.(socket, requestId, error);
      socket.end();
    } catch {
      socket.destroy();
    }
  };
  return (...args: A) => {
    if (failed) return undefined;
    try {
      const result = handler(...args);
      if (result instanceof Promise)
        return result.then(
          () => undefined,
          (error: unknown) => fail(args, error),
        );
    } catch (error) {
      fail(args, error);
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
