/**
 * The data page's API, read-only: `/api/data` lists the local stores; then per store
 * `/api/data/bucket/NAME` (objects), `/api/data/bucket/NAME/object?key=K` (download),
 * `/api/data/table/NAME?hash=V&cursor=C` (scan or query), `/api/data/postgres/NAME` (tables),
 * POST `/api/data/postgres/NAME/query` `{ sql }`, `/api/data/redis/NAME?pattern=P` (keys).
 * Every answer goes through the stack's redactor, as every output does.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { Resource } from "../../model/types.js";
import { ConsoleError, commonHeaders, readJson, sendText } from "../http.js";
import type { RouteContext } from "../routes.js";
import { listObjects, readObject } from "./buckets.js";
import { listTables, readOnlyQuery } from "./postgres.js";
import { scanKeys } from "./redis.js";
import { decodeCursor, readItems } from "./tables.js";

const BROWSABLE = new Set(["bucket", "table", "postgres", "redis"]);

function sendRedacted(context: RouteContext, res: ServerResponse, status: number, value: unknown): void {
  sendText(res, status, context.source.runner.redactor.redact(JSON.stringify(value)), "application/json; charset=utf-8");
}

/** The running local store called `name` of `type`, with its attributes. */
function store(context: RouteContext, type: string, name: string): { resource: Resource; attributes: Readonly<Record<string, string>> } {
  const { runner } = context.source;
  const resource = runner.stack.resources.find((r) => r.name === name && r.type === type);
  const running = runner.parts.resources.get(name);
  if (!resource || !running || resource.placement !== "local") throw new ConsoleError(404, `no local ${type} named ${name.slice(0, 100)} is running`);
  return { resource, attributes: running.attributes };
}

/** Asks a store; its own failure (bad SQL, a stopped server) is the user's answer, not a crash. */
async function ask<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ConsoleError) throw error;
    throw new ConsoleError(422, `${what}: ${(error as Error).message.split("\n")[0]?.slice(0, 500)}`);
  }
}

export async function routeData(context: RouteContext, method: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parts = url.pathname.split("/").slice(3).map(decodeURIComponent);
  const [type = "", name = "", extra = ""] = parts;
  const region = context.source.runner.stack.environment.region;
  if (method === "GET" && parts.length === 0) {
    const { runner } = context.source;
    const stores = runner.stack.resources
      .filter((r) => BROWSABLE.has(r.type) && runner.parts.resources.has(r.name))
      .map((r) => ({ name: r.name, type: r.type, physicalName: "physicalName" in r ? r.physicalName : null }));
    return sendRedacted(context, res, 200, { stores });
  }
  if (method === "GET" && type === "bucket" && parts.length === 2) {
    const { resource, attributes } = store(context, "bucket", name);
    const bucket = resource.type === "bucket" ? resource.physicalName : name;
    const token = url.searchParams.get("cursor") || undefined;
    const page = await ask("listing the bucket", () => listObjects(attributes.endpoint ?? "", region, bucket, url.searchParams.get("prefix") ?? "", token));
    return sendRedacted(context, res, 200, { bucket, ...page });
  }
  if (method === "GET" && type === "bucket" && extra === "object" && parts.length === 3) {
    const { resource, attributes } = store(context, "bucket", name);
    const key = url.searchParams.get("key");
    if (!key) throw new ConsoleError(400, "key is required");
    const bucket = resource.type === "bucket" ? resource.physicalName : name;
    const object = await ask("reading the object", () => readObject(attributes.endpoint ?? "", region, bucket, key));
    const file = (key.split("/").pop() || "object").replace(/[^\w.-]/g, "_");
    res.writeHead(
      200,
      commonHeaders({
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="${file}"`,
        ...(object.length !== null ? { "content-length": object.length } : {}),
      }),
    );
    try {
      await pipeline(object.body, res);
    } finally {
      object.done();
    }
    return;
  }
  if (method === "GET" && type === "table" && parts.length === 2) {
    const { resource, attributes } = store(context, "table", name);
    if (resource.type !== "table") throw new ConsoleError(404, "not a table");
    let cursor: Record<string, unknown> | undefined;
    try {
      cursor = decodeCursor(url.searchParams.get("cursor"));
    } catch {
      throw new ConsoleError(400, "cursor is not one this console gave");
    }
    const hash = url.searchParams.get("hash");
    const page = await ask("reading the table", () => readItems(attributes.endpoint ?? "", region, resource, hash || null, cursor));
    return sendRedacted(context, res, 200, { table: resource.physicalName, ...page });
  }
  if (method === "GET" && type === "postgres" && parts.length === 2) {
    const { attributes } = store(context, "postgres", name);
    return sendRedacted(context, res, 200, { tables: await ask("listing the tables", () => listTables(attributes.url ?? "")) });
  }
  if (method === "POST" && type === "postgres" && extra === "query" && parts.length === 3) {
    const { attributes } = store(context, "postgres", name);
    const body = await readJson(req);
    if (typeof body.sql !== "string" || !body.sql.trim()) throw new ConsoleError(400, "sql is required");
    const sql = body.sql;
    return sendRedacted(context, res, 200, await ask("the query failed", () => readOnlyQuery(attributes.url ?? "", sql)));
  }
  if (method === "GET" && type === "redis" && parts.length === 2) {
    const { attributes } = store(context, "redis", name);
    const pattern = (url.searchParams.get("pattern") || "*").slice(0, 200);
    return sendRedacted(context, res, 200, await ask("scanning the keys", () => scanKeys(attributes.url ?? "", pattern)));
  }
  throw new ConsoleError(404, `no ${method} ${url.pathname.slice(0, 100)} here`);
}
