/**
 * One table on disk: a snapshot (`items.json`) plus an append-only log (`log.jsonl`) of puts and
 * deletes. A write is acknowledged once its log line is written; the snapshot is rewritten
 * (temporary file, then rename) when the log grows and on close. A process killed mid-write
 * leaves at most a torn last log line, which is ignored: the data before it is intact.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type AttributeValue, compare, type Item, keyString } from "./values.js";

export interface KeySchema {
  readonly hash: string;
  readonly range: string | null;
  /** Attribute types of the keys: "S", "N" or "B". */
  readonly types: Readonly<Record<string, string>>;
}

type LogLine = { put: Item } | { del: Item };

const COMPACT_AFTER = 5000;

export class TableStore {
  private partitions = new Map<string, Item[]>();
  private unsorted = new Set<string>();
  private pendingLines: string[] = [];
  private flushing: Promise<void> | null = null;
  private pendingUndo: LogLine[] = [];
  private enqueued = 0;
  private written = 0;
  private failure: { upTo: number; error: Error } | null = null;
  private logLines = 0;
  count = 0;

  private constructor(
    readonly name: string,
    readonly dir: string | null,
    readonly schema: KeySchema,
    readonly created: number,
  ) {}

  /** Opens a table folder (or an in-memory table when `dir` is null), replaying its log. */
  static async open(name: string, dir: string | null, schema: KeySchema): Promise<TableStore> {
    const store = new TableStore(name, dir, schema, Date.now() / 1000);
    if (!dir) return store;
    await mkdir(dir, { recursive: true });
    const snapshot = await readFile(join(dir, "items.json"), "utf8").catch(() => null);
    if (snapshot) for (const item of JSON.parse(snapshot) as Item[]) store.apply({ put: item });
    const log = await readFile(join(dir, "log.jsonl"), "utf8").catch(() => "");
    for (const line of log.split("\n")) {
      if (!line) continue;
      try {
        store.apply(JSON.parse(line) as LogLine);
        store.logLines++;
      } catch {
        // A torn last line from a killed process: everything before it is intact.
      }
    }
    // Always rewrite after a replay: a torn last line must not prefix the next append.
    if (log.length) await store.compact();
    return store;
  }

  /** The key attributes of an item, as a key. */
  keyOf(item: Item): Item {
    const key: Item = { [this.schema.hash]: item[this.schema.hash] as AttributeValue };
    if (this.schema.range) key[this.schema.range] = item[this.schema.range] as AttributeValue;
    return key;
  }

  get(key: Item): Item | undefined {
    const partition = this.partitions.get(keyString(key[this.schema.hash]));
    if (!partition) return undefined;
    if (!this.schema.range) return partition[0];
    const range = key[this.schema.range];
    return partition.find((i) => keyString(i[this.schema.range as string]) === keyString(range));
  }

  /** Items of one partition, sorted by range key. */
  partition(hash: AttributeValue): Item[] {
    const id = keyString(hash);
    const items = this.partitions.get(id) ?? [];
    if (this.unsorted.has(id) && this.schema.range) {
      const r = this.schema.range;
      items.sort((a, b) => compare(a[r] as AttributeValue, b[r] as AttributeValue) ?? 0);
      this.unsorted.delete(id);
    }
    return items;
  }

  /** Every item in a stable order: partitions by key, then range. */
  all(): Item[] {
    const ids = [...this.partitions.keys()].sort();
    return ids.flatMap((id) => this.partition(this.partitions.get(id)?.[0]?.[this.schema.hash] as AttributeValue));
  }

  /** Stores an item (replacing the one with the same key); resolves once it is on disk. */
  put(item: Item): Promise<void> {
    const undo = this.undoFor(this.keyOf(item));
    this.apply({ put: item });
    return this.log({ put: item }, undo);
  }

  delete(key: Item): Promise<void> {
    const undo = this.undoFor(key);
    this.apply({ del: key });
    return this.log({ del: key }, undo);
  }

  /** What puts the key back as it is now. */
  private undoFor(key: Item): LogLine {
    const current = this.get(key);
    return current ? { put: current } : { del: key };
  }

  private apply(line: LogLine): void {
    const item = "put" in line ? line.put : line.del;
    const id = keyString(item[this.schema.hash]);
    const partition = this.partitions.get(id) ?? [];
    const r = this.schema.range;
    const index = r ? partition.findIndex((i) => keyString(i[r]) === keyString(item[r])) : partition.length ? 0 : -1;
    if ("put" in line) {
      if (index >= 0) partition[index] = line.put;
      else {
        partition.push(line.put);
        this.count++;
        this.unsorted.add(id);
      }
      this.partitions.set(id, partition);
    } else if (index >= 0) {
      partition.splice(index, 1);
      this.count--;
      if (partition.length === 0) this.partitions.delete(id);
    }
  }

  /** Group commit: lines queued while a write is under way go out together in the next one. */
  private log(line: LogLine, undo: LogLine): Promise<void> {
    if (!this.dir) return Promise.resolve();
    this.pendingLines.push(`${JSON.stringify(line)}\n`);
    this.pendingUndo.push(undo);
    return this.waitWritten(++this.enqueued);
  }

  private async waitWritten(target: number): Promise<void> {
    while (this.written < target) {
      if (this.failure && target <= this.failure.upTo) throw this.failure.error;
      this.flushing ??= this.writeBatch().finally(() => {
        this.flushing = null;
      });
      await this.flushing;
    }
  }

  private async writeBatch(): Promise<void> {
    const lines = this.pendingLines;
    const undo = this.pendingUndo;
    const end = this.enqueued;
    this.pendingLines = [];
    this.pendingUndo = [];
    if (!lines.length) return;
    try {
      await appendFile(join(this.dir as string, "log.jsonl"), lines.join(""));
    } catch (error) {
      // Memory must not claim what the disk does not hold: undo this batch and everything queued
      // after it, newest first; all of those writes fail.
      const later = this.pendingUndo;
      this.pendingLines = [];
      this.pendingUndo = [];
      for (const line of [...undo, ...later].reverse()) this.apply(line);
      this.failure = { upTo: this.enqueued, error: error as Error };
      return;
    }
    this.written = end;
    this.logLines += lines.length;
    if (this.logLines >= COMPACT_AFTER) await this.compact();
  }

  /** Writes the snapshot atomically, then empties the log (replaying it again would be harmless). */
  async compact(): Promise<void> {
    if (!this.dir) return;
    const temp = join(this.dir, "items.json.tmp");
    await writeFile(temp, JSON.stringify(this.all()));
    await rename(temp, join(this.dir, "items.json"));
    await writeFile(join(this.dir, "log.jsonl"), "");
    this.logLines = 0;
  }

  /** Finishes pending writes and compacts. */
  async close(): Promise<void> {
    if (this.dir) await this.waitWritten(this.enqueued).catch(() => {});
    if (this.logLines) await this.compact();
  }
}
