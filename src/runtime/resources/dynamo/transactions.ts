/**
 * TransactWriteItems and TransactGetItems (dynalite has neither), built on the engine's own operations:
 * the exclusive turn of the gate holds every other request while all conditions are checked and then all
 * writes made; a write that fails midway puts back what the earlier ones changed. Messages are DynamoDB's.
 */
import { dynaliteDb, type EngineError, isEngineError, perform, type Store, validate } from "./engine.js";
import { dynamoError, validationError } from "./errors.js";
import type { Gate } from "./gate.js";

type Request = Record<string, unknown>;
type Kind = "ConditionCheck" | "Put" | "Delete" | "Update";
const OPERATION: Record<Kind, string> = { ConditionCheck: "DeleteItem", Put: "PutItem", Delete: "DeleteItem", Update: "UpdateItem" };

interface Step {
  readonly kind: Kind;
  readonly data: Record<string, unknown>;
  readonly table: Record<string, unknown>;
  readonly key: string;
  readonly returnOld: boolean;
  existing?: Record<string, unknown>;
}

function getTable(store: Store, name: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => store.getTable(name, true, (error, table) => (error ? reject(error) : resolve(table as Record<string, unknown>))));
}

function getItem(store: Store, table: string, key: string): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve, reject) =>
    store.getItemDb(table).get(key, (error, item) => {
      if (error && (error as Error).name !== "NotFoundError") reject(error);
      else resolve((item ?? undefined) as Record<string, unknown> | undefined);
    }),
  );
}

function list(request: Request, field: string, max: number): Request[] {
  const items = request[field];
  if (!Array.isArray(items)) throw validationError(`The parameter '${field}' is required but was not present in the request`);
  const name = field.charAt(0).toLowerCase() + field.slice(1);
  if (items.length < 1 || items.length > max) {
    const bound = items.length < 1 ? "greater than or equal to 1" : `less than or equal to ${max}`;
    throw validationError(`1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length ${bound}`);
  }
  return items as Request[];
}

async function steps(store: Store, request: Request): Promise<Step[]> {
  const out: Step[] = [];
  const seen = new Set<string>();
  for (const entry of list(request, "TransactItems", 100)) {
    const kinds = Object.keys(entry ?? {}).filter((k): k is Kind => k in OPERATION);
    if (kinds.length !== 1 || typeof entry[kinds[0] as Kind] !== "object") {
      throw validationError("TransactItems can only contain one of Check, Put, Update or Delete");
    }
    const kind = kinds[0] as Kind;
    const { ReturnValuesOnConditionCheckFailure: returnOld, ...op } = entry[kind] as Request;
    if (kind === "ConditionCheck" && typeof op.ConditionExpression !== "string") {
      throw validationError("The parameter 'ConditionExpression' is required but was not present in the request");
    }
    if (kind === "Update" && typeof op.UpdateExpression !== "string") {
      throw validationError("The parameter 'UpdateExpression' is required but was not present in the request");
    }
    const data = validate(OPERATION[kind], op, store);
    const table = await getTable(store, String(data.TableName));
    const invalid = kind === "Put" ? dynaliteDb.validateItem(data.Item, table) : dynaliteDb.validateKey(data.Key, table);
    if (invalid) throw invalid;
    const key = dynaliteDb.createKey(kind === "Put" ? data.Item : data.Key, table);
    const id = `${String(data.TableName)}\u0000${key}`;
    if (seen.has(id)) throw validationError("Transaction request cannot include multiple operations on one item");
    seen.add(id);
    out.push({ kind, data, table, key, returnOld: returnOld === "ALL_OLD" });
  }
  return out;
}

/** The same request with its condition removed: checked already, under the same turn. */
function unconditional(data: Record<string, unknown>): Record<string, unknown> {
  const { _condition, Expected, ConditionExpression, ConditionalOperator, ...rest } = data;
  return { ...rest, ReturnValues: "NONE" };
}

function cancelled(reasons: Array<Record<string, unknown>>): EngineError {
  const codes = reasons.map((r) => r.Code).join(", ");
  return dynamoError("TransactionCanceledException", `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`, 400, {
    CancellationReasons: reasons,
  });
}

/** TransactWriteItems: all or nothing. */
export async function transactWriteItems(store: Store, gate: Gate, request: Request): Promise<unknown> {
  const planned = await steps(store, request);
  return gate.exclusive(async () => {
    let failed = false;
    const reasons: Array<Record<string, unknown>> = [];
    for (const step of planned) {
      step.existing = await getItem(store, String(step.data.TableName), step.key);
      const error = dynaliteDb.checkConditional(step.data, step.existing);
      if (!error) reasons.push({ Code: "None" });
      else if (error.body.__type.endsWith("#ConditionalCheckFailedException")) {
        failed = true;
        reasons.push({
          Code: "ConditionalCheckFailed",
          Message: "The conditional request failed",
          ...(step.returnOld && step.existing ? { Item: step.existing } : {}),
        });
      } else throw error;
    }
    if (failed) throw cancelled(reasons);
    const done: Step[] = [];
    for (const [index, step] of planned.entries()) {
      if (step.kind === "ConditionCheck") continue;
      try {
        await perform(OPERATION[step.kind], store, unconditional(step.data));
        done.push(step);
      } catch (error) {
        await undo(store, done);
        if (!isEngineError(error)) throw error;
        throw cancelled(planned.map((_, i) => (i === index ? { Code: "ValidationError", Message: error.body.message } : { Code: "None" })));
      }
    }
    return {};
  });
}

/** Puts back the items as they were before the transaction's first writes. */
async function undo(store: Store, done: readonly Step[]): Promise<void> {
  for (const step of [...done].reverse()) {
    const TableName = step.data.TableName;
    if (step.existing) await perform("PutItem", store, { TableName, Item: step.existing });
    else await perform("DeleteItem", store, { TableName, Key: step.kind === "Put" ? keyOf(step) : step.data.Key });
  }
}

function keyOf(step: Step): Record<string, unknown> {
  const item = step.data.Item as Record<string, unknown>;
  const schema = step.table.KeySchema as Array<{ AttributeName: string }>;
  return Object.fromEntries(schema.map((k) => [k.AttributeName, item[k.AttributeName]]));
}

/** TransactGetItems: every item read in one turn, so none is seen half-written by a transaction. */
export async function transactGetItems(store: Store, gate: Gate, request: Request): Promise<unknown> {
  const gets = list(request, "TransactItems", 100).map((entry) => {
    if (Object.keys(entry ?? {}).length !== 1 || typeof entry.Get !== "object") throw validationError("TransactItems can only contain Get");
    return validate("GetItem", entry.Get, store);
  });
  return gate.exclusive(async () => {
    const responses = [];
    for (const get of gets) {
      const { Item } = (await perform("GetItem", store, get)) as { Item?: unknown };
      responses.push(Item ? { Item } : {});
    }
    return { Responses: responses };
  });
}
