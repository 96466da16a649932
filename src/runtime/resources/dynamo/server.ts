/**
 * The local DynamoDB endpoint: the JSON protocol (`X-Amz-Target: DynamoDB_20120810.<Op>`) on
 * loopback, for every table of a stack (processes see one `DYNAMODB_ENDPOINT`). Signatures are
 * not verified: any credentials work, as the endpoint only listens on loopback. Tables declared in
 * the stack are kept on disk; tables made with CreateTable live in memory until the endpoint stops.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { guard, guardClientErrors } from "../../http/guard.js";
import { DynamoError, notFound, validation } from "./errors.js";
import { batchGetItem, batchWriteItem, deleteItem, getItem, putItem, type Request, transactWriteItems, updateItem } from "./items.js";
import { query, scan } from "./read.js";
import { TableStore } from "./table-store.js";

type Operation = (request: Request) => unknown;

export class DynamoServer {
  readonly tables = new Map<string, TableStore>();
  /** Tables declared in the stack (on disk): DeleteTable refuses them. */
  readonly declared = new Set<string>();
  private server: Server | null = null;
  port = 0;

  constructor(
    readonly host: string,
    readonly region: string,
  ) {}

  async listen(port: number): Promise<void> {
    const server = createServer(guard((req, res) => this.handle(req, res), { name: "dynamodb" }));
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

  private table = (name: unknown): TableStore => {
    const table = typeof name === "string" ? this.tables.get(name) : undefined;
    if (!table) throw notFound(String(name));
    return table;
  };

  describe(table: TableStore) {
    const keys = [
      { AttributeName: table.schema.hash, KeyType: "HASH" },
      ...(table.schema.range ? [{ AttributeName: table.schema.range, KeyType: "RANGE" }] : []),
    ];
    return {
      TableName: table.name,
      TableStatus: "ACTIVE",
      TableArn: `arn:aws:dynamodb:${this.region}:000000000000:table/${table.name}`,
      TableId: table.name,
      KeySchema: keys,
      AttributeDefinitions: keys.map((k) => ({ AttributeName: k.AttributeName, AttributeType: table.schema.types[k.AttributeName] ?? "S" })),
      ItemCount: table.count,
      TableSizeBytes: 0,
      CreationDateTime: table.created,
      BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" },
      ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
    };
  }

  private operations: Record<string, Operation> = {
    CreateTable: async (r) => {
      const name = String(r.TableName ?? "");
      if (this.tables.has(name)) throw new DynamoError("ResourceInUseException", `Table already exists: ${name}`);
      const schema = (r.KeySchema ?? []) as Array<{ AttributeName: string; KeyType: string }>;
      const hash = schema.find((k) => k.KeyType === "HASH")?.AttributeName;
      if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name) || !hash) throw validation("CreateTable needs a valid TableName and a HASH key");
      const types = Object.fromEntries(
        ((r.AttributeDefinitions ?? []) as Array<{ AttributeName: string; AttributeType: string }>).map((d) => [d.AttributeName, d.AttributeType]),
      );
      const table = await TableStore.open(name, null, { hash, range: schema.find((k) => k.KeyType === "RANGE")?.AttributeName ?? null, types });
      this.tables.set(name, table);
      return { TableDescription: this.describe(table) };
    },
    DescribeTable: (r) => ({ Table: this.describe(this.table(r.TableName)) }),
    UpdateTable: (r) => ({ TableDescription: this.describe(this.table(r.TableName)) }),
    DeleteTable: (r) => {
      const table = this.table(r.TableName);
      if (this.declared.has(table.name)) throw validation(`${table.name} is declared in the stack file; remove it there (its data stays on disk)`);
      this.tables.delete(table.name);
      return { TableDescription: { ...this.describe(table), TableStatus: "DELETING" } };
    },
    ListTables: (r) => {
      const names = [...this.tables.keys()].sort().filter((n) => !r.ExclusiveStartTableName || n > String(r.ExclusiveStartTableName));
      const limit = Number(r.Limit ?? 100);
      const out: Record<string, unknown> = { TableNames: names.slice(0, limit) };
      if (names.length > limit) out.LastEvaluatedTableName = names[limit - 1];
      return out;
    },
    DescribeTimeToLive: (r) => {
      this.table(r.TableName);
      return { TimeToLiveDescription: { TimeToLiveStatus: "DISABLED" } };
    },
    PutItem: (r) => putItem(this.table, r),
    GetItem: (r) => getItem(this.table, r),
    DeleteItem: (r) => deleteItem(this.table, r),
    UpdateItem: (r) => updateItem(this.table, r),
    Query: (r) => query(this.table, r),
    Scan: (r) => scan(this.table, r),
    BatchWriteItem: (r) => batchWriteItem(this.table, r),
    BatchGetItem: (r) => batchGetItem(this.table, r),
    TransactWriteItems: (r) => transactWriteItems(this.table, r),
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(text), "x-amzn-requestid": "cairn" });
      res.end(text);
    };
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const target = String(req.headers["x-amz-target"] ?? "");
      const operation = this.operations[target.replace(/^DynamoDB_20120810\./, "")];
      if (req.method !== "POST" || !target.startsWith("DynamoDB_20120810.") || !operation) {
        throw new DynamoError("UnknownOperationException", `Operation not supported by the local endpoint: ${target || req.method}`);
      }
      let request: Request;
      try {
        request = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Request;
      } catch {
        throw new DynamoError("SerializationException", "The request body is not valid JSON");
      }
      send(200, await operation(request));
    } catch (error) {
      const full = (error as NodeJS.ErrnoException).code === "ENOSPC";
      const e =
        error instanceof DynamoError
          ? error
          : new DynamoError(
              "InternalServerError",
              full ? "The disk holding the local table is full: nothing was written; free space and retry" : (error as Error).message,
              500,
            );
      send(e.status, { __type: `com.amazonaws.dynamodb.v20120810#${e.type}`, message: e.message, ...e.extra });
    }
  }
}
