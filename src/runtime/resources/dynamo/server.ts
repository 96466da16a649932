/**
 * The local DynamoDB endpoint: the JSON protocol (`X-Amz-Target: DynamoDB_20120810.<Op>`) on loopback for
 * every table of a stack (processes see one `DYNAMODB_ENDPOINT`). Signatures are not verified: any
 * credentials work, as the endpoint only listens on loopback. Bodies over DynamoDB's 16 MB request limit
 * are refused before they are read. Tables declared in the stack are journaled to disk; tables made with
 * CreateTable live in memory until the endpoint stops.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { crc32 } from "node:zlib";
import { type GuardReport, guard, guardClientErrors } from "../../http/guard.js";
import { createStore, type EngineError, isEngineError, OPERATIONS, perform, type Store, validate } from "./engine.js";
import { dynamoError, internalError, validationError } from "./errors.js";
import { Gate } from "./gate.js";
import { type Journal, journalWrites } from "./journal.js";
import { keysOf } from "./load.js";
import { transactGetItems, transactWriteItems } from "./transactions.js";

/** DynamoDB's limit on one HTTP request (BatchWriteItem's 16 MB). */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** Operations that take the shared turn: writes, and reads DynamoDB keeps serializable with transactions. */
const SHARED = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "GetItem", "BatchGetItem"]);
const ENGINE = new Set<string>(OPERATIONS);

type Answer = { status: number; body: unknown };

/** A request id as DynamoDB's look: 52 characters of 0-9 and A-Z. */
function requestIdOf(): string {
  // 39 random bytes are 52 base64 characters; the two that are not letters or digits become 0 and 9.
  return randomBytes(39).toString("base64").toUpperCase().replace(/\+/g, "0").replace(/\//g, "9");
}

/** Sends a JSON answer in the content type the client used, with DynamoDB's CRC32 and request id. */
function send(res: ServerResponse, answer: Answer, json: string, requestId: string): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    "content-type": json,
    "content-length": Buffer.byteLength(text),
    "x-amz-crc32": String(crc32(text)),
    "x-amzn-requestid": requestId,
  });
  res.end(text);
}

/** The body, or null when it passed `limit` (the rest is left unread and the connection closed). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(req.headers["content-length"] ?? 0) > limit) return Promise.resolve(null);
  // Events rather than an async iterator: this is the hot path of every request.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData);
      req.pause();
      resolve(null);
    };
    req.on("data", onData);
    req.once("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

export class DynamoServer {
  readonly store: Store;
  /** Tables declared in the stack, each with its journal: DeleteTable refuses them. */
  readonly journals = new Map<string, Journal>();
  private readonly gate = new Gate();
  private server: Server | null = null;
  port = 0;
  /** Told of each request a throw answered (the guard's report), for the log. */
  onError: ((report: GuardReport) => void) | undefined;

  constructor(
    readonly host: string,
    readonly region: string,
    readonly limit = MAX_REQUEST_BYTES,
  ) {
    this.store = createStore(region);
    journalWrites(this.store.db, this.journals);
  }

  /** Serves a declared table from now on, its writes journaled. */
  adopt(name: string, journal: Journal): void {
    this.journals.set(name, journal);
  }

  /** Stops serving a declared table: its entries leave memory (the journal keeps them on disk). */
  async forget(name: string): Promise<void> {
    this.journals.delete(name);
    const keys = await keysOf(this.store, name);
    await new Promise<void>((resolve) =>
      this.store.db.batch(
        keys.map((key) => ({ type: "del" as const, key })),
        () => resolve(),
      ),
    );
  }

  async listen(port: number): Promise<void> {
    const server = createServer(
      guard((req, res) => this.handle(req, res), {
        name: "dynamodb",
        onError: (report) => this.onError?.(report),
        answer: (res, status, requestId, error) =>
          send(
            res,
            { status, body: (status === 400 ? validationError(String((error as Error)?.message)) : internalError(error)).body },
            "application/x-amz-json-1.0",
            requestId,
          ),
      }),
    );
    guardClientErrors(server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: this.host, port, exclusive: true }, () => resolve());
    });
    const address = server.address();
    this.port = typeof address === "object" && address ? address.port : port;
    this.server = server;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  /** Runs one operation on a parsed request: the answer, or an EngineError thrown. */
  async run(operation: string, request: Record<string, unknown>): Promise<unknown> {
    if (operation === "TransactWriteItems") return transactWriteItems(this.store, this.gate, request);
    if (operation === "TransactGetItems") return transactGetItems(this.store, this.gate, request);
    const data = validate(operation, request, this.store);
    if (operation === "DeleteTable" && this.journals.has(String(data.TableName))) {
      throw validationError(`${String(data.TableName)} is declared in the stack file; remove it there (its data stays on disk)`);
    }
    if (SHARED.has(operation)) return this.gate.shared(() => perform(operation, this.store, data));
    return perform(operation, this.store, data);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = requestIdOf();
    const type =
      String(req.headers["content-type"] ?? "")
        .split(";")[0]
        ?.trim() ?? "";
    const json = type === "application/json" ? "application/json" : "application/x-amz-json-1.0";
    if (req.headers.origin) {
      res.setHeader("access-control-allow-origin", "*");
      res.setHeader("access-control-expose-headers", "x-amzn-requestid,x-amz-crc32");
      if (req.method === "OPTIONS") {
        res.writeHead(200, {
          "access-control-allow-headers": String(req.headers["access-control-request-headers"] ?? "*"),
          "access-control-allow-methods": "POST, GET, OPTIONS",
          "access-control-max-age": "172800",
          "content-length": "0",
        });
        return void res.end();
      }
    }
    const body = await readBody(req, this.limit);
    if (body === null) {
      res.setHeader("connection", "close");
      // The rest stays unread: with `connection: close`, the socket closes once the answer is out.
      send(res, { status: 413, body: dynamoError("RequestEntityTooLarge", `Request size exceeds ${this.limit} bytes`).body }, json, requestId);
      return;
    }
    send(res, await this.answer(req, body, type), json, requestId);
  }

  private async answer(req: IncomingMessage, body: Buffer, type: string): Promise<Answer> {
    if (req.method === "GET") return { status: 200, body: "healthy: dynamodb (cairn)" };
    const unknown = { status: 400, body: { __type: "com.amazon.coral.service#UnknownOperationException" } };
    if (req.method !== "POST" || (body.length && type !== "application/json" && type !== "application/x-amz-json-1.0")) return unknown;
    const [api, operation = ""] = String(req.headers["x-amz-target"] ?? "").split(".");
    if (api !== "DynamoDB_20120810" || !(ENGINE.has(operation) || operation === "TransactWriteItems" || operation === "TransactGetItems")) return unknown;
    let request: unknown;
    try {
      request = JSON.parse(body.toString("utf8"));
    } catch {
      return { status: 400, body: { __type: "com.amazon.coral.service#SerializationException" } };
    }
    if (typeof request !== "object" || request === null || Array.isArray(request)) {
      return { status: 400, body: { __type: "com.amazon.coral.service#SerializationException" } };
    }
    try {
      return { status: 200, body: await this.run(operation, request as Record<string, unknown>) };
    } catch (error) {
      const e: EngineError = isEngineError(error) ? error : internalError(error);
      return { status: e.statusCode, body: e.body };
    }
  }
}
