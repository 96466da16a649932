/** Query and Scan: key conditions, filters, projection, order, pagination and counts. */
import { validation } from "./errors.js";
import { type Condition, evaluate, parseCondition, parseProjection, project } from "./expressions.js";
import { expressions, namesOf, type Request, type Tables } from "./items.js";
import type { TableStore } from "./table-store.js";
import { type AttributeValue, type Item, keyString } from "./values.js";

/** Finds `hashKey = :value` in a key condition. */
function hashValue(condition: Condition, hashKey: string, values: Readonly<Record<string, AttributeValue>>): AttributeValue | null {
  if (condition.kind === "and") return hashValue(condition.left, hashKey, values) ?? hashValue(condition.right, hashKey, values);
  if (condition.kind !== "compare" || condition.op !== "=") return null;
  const [path, value] = condition.left.kind === "path" ? [condition.left, condition.right] : [condition.right, condition.left];
  if (path.kind === "path" && path.path.length === 1 && path.path[0] === hashKey && value.kind === "value") return values[value.name] ?? null;
  return null;
}

function sameKey(table: TableStore, a: Item, b: Item): boolean {
  const names = [table.schema.hash, ...(table.schema.range ? [table.schema.range] : [])];
  return names.every((n) => keyString(a[n]) === keyString(b[n]));
}

/** Pages through `candidates`: start after ExclusiveStartKey, stop at Limit, then filter and project. */
function page(table: TableStore, candidates: Item[], request: Request) {
  const names = namesOf(request);
  const filter = typeof request.FilterExpression === "string" ? expressions(() => parseCondition(request.FilterExpression as string, names)) : null;
  const paths = typeof request.ProjectionExpression === "string" ? expressions(() => parseProjection(request.ProjectionExpression as string, names)) : null;
  const limit = request.Limit === undefined ? Number.POSITIVE_INFINITY : Number(request.Limit);
  if (!(limit > 0)) throw validation("Limit must be at least 1");
  let start = 0;
  const after = request.ExclusiveStartKey as Item | undefined;
  if (after) {
    const at = candidates.findIndex((i) => sameKey(table, i, after));
    start = at >= 0 ? at + 1 : candidates.length;
  }
  const scanned = candidates.slice(start, start + Math.min(limit, 1e9));
  const items = filter ? scanned.filter((i) => expressions(() => evaluate(filter, i, names))) : scanned;
  const more = start + scanned.length < candidates.length && scanned.length > 0;
  const last = scanned.at(-1);
  const result: Record<string, unknown> = { Count: items.length, ScannedCount: scanned.length };
  if (request.Select !== "COUNT") result.Items = items.map((i) => project(i, paths));
  if (more && last) result.LastEvaluatedKey = table.keyOf(last);
  return result;
}

export function query(tables: Tables, request: Request) {
  const table = tables(request.TableName);
  if (request.IndexName) throw validation(`The table does not have the specified index: ${request.IndexName}`);
  if (typeof request.KeyConditionExpression !== "string") throw validation("Query needs a KeyConditionExpression");
  const names = namesOf(request);
  const condition = expressions(() => parseCondition(request.KeyConditionExpression as string, names));
  const hash = hashValue(condition, table.schema.hash, names.values);
  if (!hash) throw validation(`Query condition missed key schema element: ${table.schema.hash}`);
  let candidates = table.partition(hash).filter((i) => expressions(() => evaluate(condition, i, names)));
  if (request.ScanIndexForward === false) candidates = [...candidates].reverse();
  return page(table, candidates, request);
}

export function scan(tables: Tables, request: Request) {
  const table = tables(request.TableName);
  if (request.IndexName) throw validation(`The table does not have the specified index: ${request.IndexName}`);
  let candidates = table.all();
  const total = Number(request.TotalSegments ?? 1);
  if (total > 1) {
    const segment = Number(request.Segment ?? 0);
    candidates = candidates.filter((_, i) => i % total === segment);
  }
  return page(table, candidates, request);
}
