/** The CreateTable request for a table the stack declares: keys, key types and secondary indexes. Pure. */
import type { Table, TableIndex } from "../../../model/types.js";

type KeySchema = Array<{ AttributeName: string; KeyType: "HASH" | "RANGE" }>;

function keySchema(hash: string, range: string | null): KeySchema {
  return [{ AttributeName: hash, KeyType: "HASH" }, ...(range ? [{ AttributeName: range, KeyType: "RANGE" as const }] : [])];
}

function projection(index: TableIndex): Record<string, unknown> {
  if (index.projection === "all") return { ProjectionType: "ALL" };
  if (index.projection === "keys") return { ProjectionType: "KEYS_ONLY" };
  return { ProjectionType: "INCLUDE", NonKeyAttributes: [...index.projection] };
}

/** CreateTable's request for `table` under its physical name, billed on demand as the aws target does. */
export function tableDefinition(name: string, table: Table): Record<string, unknown> {
  const used = new Set([table.hashKey, ...(table.rangeKey ? [table.rangeKey] : [])]);
  for (const index of table.indexes) for (const key of [index.hashKey, index.rangeKey]) if (key) used.add(key);
  const definition: Record<string, unknown> = {
    TableName: name,
    KeySchema: keySchema(table.hashKey, table.rangeKey),
    AttributeDefinitions: [...used].sort().map((AttributeName) => ({ AttributeName, AttributeType: table.keyTypes[AttributeName] ?? "S" })),
    BillingMode: "PAY_PER_REQUEST",
  };
  const globals = table.indexes.filter((i) => !i.local);
  const locals = table.indexes.filter((i) => i.local);
  if (globals.length) {
    definition.GlobalSecondaryIndexes = globals.map((i) => ({ IndexName: i.name, KeySchema: keySchema(i.hashKey, i.rangeKey), Projection: projection(i) }));
  }
  if (locals.length) {
    definition.LocalSecondaryIndexes = locals.map((i) => ({ IndexName: i.name, KeySchema: keySchema(i.hashKey, i.rangeKey), Projection: projection(i) }));
  }
  return definition;
}

/** What must match between the stored table and the stack file for its data to be served unchanged. */
export function shapeOf(description: Record<string, unknown>): string {
  const pick = (list: unknown) =>
    ((list as Array<Record<string, unknown>> | undefined) ?? [])
      .map((i) => ({ name: i.IndexName, keys: i.KeySchema, projection: i.Projection }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  const types = ((description.AttributeDefinitions as Array<{ AttributeName: string; AttributeType: string }>) ?? [])
    .map((d) => `${d.AttributeName}:${d.AttributeType}`)
    .sort();
  return JSON.stringify({
    keys: description.KeySchema,
    types,
    global: pick(description.GlobalSecondaryIndexes),
    local: pick(description.LocalSecondaryIndexes),
  });
}
