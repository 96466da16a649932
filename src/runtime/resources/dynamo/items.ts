/** Item operations: PutItem, GetItem, DeleteItem, UpdateItem, and the batch and transaction forms. */
import { conditionFailed, DynamoError, validation } from "./errors.js";
import { ExpressionError, evaluate, type Names, parseCondition, parseProjection, project } from "./expressions.js";
import type { TableStore } from "./table-store.js";
import { applyUpdate, parseUpdate } from "./update.js";
import { type AttributeValue, type Item, itemSize, typeOf } from "./values.js";

export type Request = Record<string, unknown>;
export type Tables = (name: unknown) => TableStore;

export function namesOf(request: Request): Names {
  return {
    names: (request.ExpressionAttributeNames ?? {}) as Record<string, string>,
    values: (request.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>,
  };
}

/** Runs `work`, turning expression errors into ValidationException. */
export function expressions<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ExpressionError) throw validation(error.message);
    throw error;
  }
}

/** Checks that `key` holds exactly the table's key attributes, of a key type. */
export function checkKey(table: TableStore, key: Item | undefined, what = "key"): Item {
  if (!key || typeof key !== "object") throw validation(`The provided ${what} element does not match the schema`);
  const names = [table.schema.hash, ...(table.schema.range ? [table.schema.range] : [])];
  for (const name of names) {
    const value = key[name];
    if (!value) throw validation(`One of the required keys was not given a value (${name})`);
    if (!["S", "N", "B"].includes(typeOf(value))) throw validation(`The key attribute ${name} must be a string, number or binary`);
    if (value.S === "" || value.B === "")
      throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`);
  }
  return key;
}

function checkCondition(request: Request, existing: Item | undefined): void {
  if (typeof request.ConditionExpression !== "string") return;
  const names = namesOf(request);
  const ok = expressions(() => evaluate(parseCondition(request.ConditionExpression as string, names), existing ?? {}, names));
  if (!ok) throw conditionFailed();
}

function old(request: Request, existing: Item | undefined): Record<string, unknown> {
  return request.ReturnValues === "ALL_OLD" && existing ? { Attributes: existing } : {};
}

export async function putItem(tables: Tables, request: Request) {
  const table = tables(request.TableName);
  const item = request.Item as Item;
  checkKey(table, item, "Item");
  if (itemSize(item) > 400 * 1024) throw validation("Item size has exceeded the maximum allowed size");
  const existing = table.get(table.keyOf(item));
  checkCondition(request, existing);
  await table.put(item);
  return old(request, existing);
}

export function getItem(tables: Tables, request: Request) {
  const table = tables(request.TableName);
  const key = checkKey(table, request.Key as Item);
  const item = table.get(key);
  if (!item) return {};
  const names = namesOf(request);
  const paths = typeof request.ProjectionExpression === "string" ? expressions(() => parseProjection(request.ProjectionExpression as string, names)) : null;
  return { Item: project(item, paths) };
}

export async function deleteItem(tables: Tables, request: Request) {
  const table = tables(request.TableName);
  const key = checkKey(table, request.Key as Item);
  const existing = table.get(key);
  checkCondition(request, existing);
  if (existing) await table.delete(key);
  return old(request, existing);
}

export async function updateItem(tables: Tables, request: Request) {
  const table = tables(request.TableName);
  const key = checkKey(table, request.Key as Item);
  const existing = table.get(key);
  checkCondition(request, existing);
  const names = namesOf(request);
  const base: Item = structuredClone(existing ?? key);
  const { item, touched } =
    typeof request.UpdateExpression === "string"
      ? expressions(() => applyUpdate(base, parseUpdate(request.UpdateExpression as string, names), names))
      : { item: base, touched: [] };
  for (const k of Object.keys(key)) {
    if (touched.includes(k)) throw validation(`One or more parameter values were invalid: Cannot update attribute ${k}. This attribute is part of the key`);
  }
  if (itemSize(item) > 400 * 1024) throw validation("Item size has exceeded the maximum allowed size");
  await table.put(item);
  const pick = (from: Item | undefined) => Object.fromEntries(touched.filter((n) => from?.[n] !== undefined).map((n) => [n, from?.[n]]));
  switch (request.ReturnValues) {
    case "ALL_NEW":
      return { Attributes: item };
    case "ALL_OLD":
      return existing ? { Attributes: existing } : {};
    case "UPDATED_NEW":
      return { Attributes: pick(item) };
    case "UPDATED_OLD":
      return existing ? { Attributes: pick(existing) } : {};
    default:
      return {};
  }
}

type WriteRequest = { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } };

export async function batchWriteItem(tables: Tables, request: Request) {
  const all = Object.entries((request.RequestItems ?? {}) as Record<string, WriteRequest[]>);
  const count = all.reduce((n, [, list]) => n + list.length, 0);
  if (count === 0 || count > 25) throw validation("Too many items requested for the BatchWriteItem call (1 to 25)");
  // Validate everything first, so that a bad request writes nothing.
  for (const [name, list] of all) {
    const table = tables(name);
    for (const w of list) {
      if (w.PutRequest) checkKey(table, w.PutRequest.Item, "Item");
      else if (w.DeleteRequest) checkKey(table, w.DeleteRequest.Key);
      else throw validation("Each write request needs PutRequest or DeleteRequest");
    }
  }
  for (const [name, list] of all) {
    const table = tables(name);
    for (const w of list) {
      if (w.PutRequest) await table.put(w.PutRequest.Item);
      else if (w.DeleteRequest) await table.delete(w.DeleteRequest.Key);
    }
  }
  return { UnprocessedItems: {} };
}

export function batchGetItem(tables: Tables, request: Request) {
  const responses: Record<string, Item[]> = {};
  const wanted = Object.entries((request.RequestItems ?? {}) as Record<string, Request & { Keys: Item[] }>);
  if (wanted.reduce((n, [, r]) => n + r.Keys.length, 0) > 100) throw validation("Too many items requested for the BatchGetItem call");
  for (const [name, spec] of wanted) {
    const table = tables(name);
    const names = namesOf(spec);
    const paths = typeof spec.ProjectionExpression === "string" ? expressions(() => parseProjection(spec.ProjectionExpression as string, names)) : null;
    responses[name] = spec.Keys.map((k) => table.get(checkKey(table, k)))
      .filter((i): i is Item => !!i)
      .map((i) => project(i, paths));
  }
  return { Responses: responses, UnprocessedKeys: {} };
}

/** TransactWriteItems: every condition is checked before anything is written. */
export async function transactWriteItems(tables: Tables, request: Request) {
  const list = (request.TransactItems ?? []) as Array<Record<string, Request>>;
  const reasons = list.map((entry) => {
    const [kind, op] = Object.entries(entry)[0] ?? [];
    if (!kind || !op) return { Code: "ValidationError" };
    const table = tables(op.TableName);
    const key = kind === "Put" ? table.keyOf(checkKey(table, op.Item as Item, "Item")) : checkKey(table, op.Key as Item);
    try {
      checkCondition(op, table.get(key));
      return { Code: "None" };
    } catch (error) {
      if (error instanceof DynamoError && error.type === "ConditionalCheckFailedException") return { Code: "ConditionalCheckFailed", Message: error.message };
      throw error;
    }
  });
  if (reasons.some((r) => r.Code !== "None")) {
    throw new DynamoError(
      "TransactionCanceledException",
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
      400,
      {
        CancellationReasons: reasons,
      },
    );
  }
  for (const entry of list) {
    const [kind, op] = Object.entries(entry)[0] as [string, Request];
    const plain = { ...op, ConditionExpression: undefined };
    if (kind === "Put") await putItem(tables, plain);
    else if (kind === "Delete") await deleteItem(tables, plain);
    else if (kind === "Update") await updateItem(tables, plain);
  }
  return {};
}
