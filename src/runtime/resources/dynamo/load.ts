/**
 * Puts a declared table into the endpoint's engine at start: its journal read back into memory, then the
 * table created when it is new, rebuilt (items kept) when the stack file changed its key types or indexes,
 * and filled from the files of an older Cairn (`items.json` and `log.jsonl`, kept as `*.migrated`).
 */
import { readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { type LevelOp, perform, type Store, tableOf, validate } from "./engine.js";
import type { Journal } from "./journal.js";
import type { DynamoServer } from "./server.js";

type Item = Record<string, unknown>;

export interface TableLoad {
  readonly name: string;
  readonly journal: Journal;
  readonly ops: LevelOp[];
  readonly definition: Record<string, unknown>;
  readonly dataDir: string;
  /** True when the stored table's key types or indexes may differ from the definition. */
  readonly reshape: boolean;
}

/** Every value under `prefix`, read from memory. */
async function valuesUnder(store: Store, prefix: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const [, value] of store.db.iterator({ gte: prefix, lt: `${prefix}\uffff` })) out.push(value);
  return out;
}

/** Keys of every entry of table `name` held in memory: description, items, index entries, tags. */
export async function keysOf(store: Store, name: string): Promise<string[]> {
  const keys = [`table~${name}`];
  for (const prefix of [`item-${name}~`, `index-global~${name}~`, `index-local~${name}~`, `tag-${name}~`]) {
    for await (const [key] of store.db.iterator({ gte: prefix, lt: `${prefix}\uffff` })) keys.push(key);
  }
  return keys;
}

/** Waits until the table is ACTIVE (the engine flips it right after creation). */
async function active(store: Store, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await tableOf(store, name))?.TableStatus === "ACTIVE") return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`the table ${name} did not become active`);
}

/** Items an older Cairn wrote (`items.json` snapshot plus `log.jsonl` of puts and deletes). */
async function olderItems(dataDir: string, keyNames: string[]): Promise<Item[] | null> {
  const dir = join(dataDir, "data");
  const snapshot = await readFile(join(dir, "items.json"), "utf8").catch(() => null);
  const log = await readFile(join(dir, "log.jsonl"), "utf8").catch(() => null);
  if (snapshot === null && log === null) return null;
  const items = new Map<string, Item>();
  const id = (item: Item) => JSON.stringify(keyNames.map((k) => item[k]));
  for (const item of snapshot ? (JSON.parse(snapshot) as Item[]) : []) items.set(id(item), item);
  for (const line of (log ?? "").split("\n")) {
    try {
      const entry = JSON.parse(line) as { put?: Item; del?: Item };
      if (entry.put) items.set(id(entry.put), entry.put);
      else if (entry.del) items.delete(id(entry.del));
    } catch {
      // A torn last line, as the older format allowed.
    }
  }
  for (const file of ["items.json", "log.jsonl"]) await rename(join(dir, file), join(dir, `${file}.migrated`)).catch(() => {});
  return [...items.values()];
}

/** Loads one declared table; returns its item count. */
export async function loadTable(server: DynamoServer, load: TableLoad): Promise<number> {
  const { store } = server;
  const { name, definition } = load;
  await server.forget(name);
  await new Promise<void>((resolve, reject) => store.db.batch(load.ops, (error) => (error ? reject(error) : resolve())));
  server.adopt(name, load.journal);
  const keyNames = (definition.KeySchema as Array<{ AttributeName: string }>).map((k) => k.AttributeName);
  const older = await olderItems(load.dataDir, keyNames);
  const stored = await tableOf(store, name);
  let items: Item[] = older ?? [];
  if (stored && load.reshape) {
    items = [...((await valuesUnder(store, `item-${name}~`)) as Item[]), ...items];
    const keys = await keysOf(store, name);
    await new Promise<void>((resolve, reject) =>
      store.db.batch(
        keys.map((key) => ({ type: "del", key })),
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  }
  if (!stored || load.reshape) {
    await perform("CreateTable", store, validate("CreateTable", structuredClone(definition), store));
    await active(store, name);
  }
  for (const Item of items) await perform("PutItem", store, validate("PutItem", { TableName: name, Item }, store));
  return (await valuesUnder(store, `item-${name}~`)).length;
}
