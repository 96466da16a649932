/**
 * A declared table on disk: every write the engine makes to the table's keys (its description, items,
 * index entries, tags) is appended to `journal.jsonl` before it reaches memory, and the request is answered
 * only after that. The append is synchronous: a few hundred bytes into the page cache (no fsync, as
 * dynalite's own LevelDB) cost less than the three thread-pool round trips of an asynchronous
 * `appendFile`, and they keep the writes in the order they were made. `store.jsonl` is a snapshot, rewritten (temporary file, then rename) every 5,000 lines
 * and at close. A process killed mid-write leaves at most a torn last line, which the next start ignores;
 * a failed append (a full disk) leaves memory untouched, so the table never shows what the disk lacks.
 */
import { appendFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LevelDb, LevelOp } from "./engine.js";

const COMPACT_AFTER = 5000;

/** An operation as the files hold it: the key, and the value as JSON text (null: deleted). */
interface Entry {
  readonly key: string;
  readonly json: string | null;
}

interface Pending {
  readonly text: string;
  readonly entries: readonly Entry[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** The table a level key belongs to (`table~T`, `item-T~…`, `index-global~T~…`, `tag-T~…`), or null. */
export function tableOfKey(key: string): string | null {
  return /^(?:table~|item-|tag-|index-(?:global|local)~)([a-zA-Z0-9_.-]+)/.exec(key)?.[1] ?? null;
}

/** Each value is serialised once: the same text goes to the journal line and to the mirror. */
const entryOf = (op: LevelOp): Entry => ({ key: op.key, json: op.type === "put" ? JSON.stringify(op.value) : null });
const lineOf = (e: Entry) => (e.json === null ? `[${JSON.stringify(e.key)}]\n` : `[${JSON.stringify(e.key)},${e.json}]\n`);

export class Journal {
  /** What the files hold, key by key (values as JSON text): the snapshot is written from it. */
  private readonly mirror = new Map<string, string>();
  /** Appends waiting for the snapshot under way. */
  private queue: Pending[] = [];
  private compacting: Promise<void> | null = null;
  private lines = 0;

  private constructor(readonly dir: string) {}

  /** Opens (creating) the folder and reads it back: the journal and the operations that rebuild memory. */
  static async open(dir: string): Promise<{ journal: Journal; ops: LevelOp[] }> {
    const journal = new Journal(dir);
    await mkdir(dir, { recursive: true });
    const snapshot = await readFile(join(dir, "store.jsonl"), "utf8").catch(() => "");
    const log = await readFile(join(dir, "journal.jsonl"), "utf8").catch(() => "");
    for (const line of `${snapshot}\n${log}`.split("\n")) {
      if (!line) continue;
      let entry: unknown[];
      try {
        entry = JSON.parse(line) as unknown[];
      } catch {
        continue; // A torn last line from a killed process: everything before it is intact.
      }
      if (typeof entry[0] !== "string") continue;
      if (entry.length > 1) journal.mirror.set(entry[0], JSON.stringify(entry[1]));
      else journal.mirror.delete(entry[0]);
    }
    // Always rewrite after a replay: a torn last line must not prefix the next append.
    if (log.length) await journal.compact();
    const ops: LevelOp[] = [...journal.mirror].map(([key, value]) => ({ type: "put", key, value: JSON.parse(value) }));
    return { journal, ops };
  }

  get size(): number {
    return this.mirror.size;
  }

  /**
   * Resolves once the operations are on disk, or rejects (a full disk) with memory untouched. While
   * the snapshot is being written, appends wait for it, so none falls between the snapshot and the
   * emptied log.
   */
  append(ops: readonly LevelOp[]): Promise<void> {
    const entries = ops.map(entryOf);
    const text = entries.map(lineOf).join("");
    if (this.compacting !== null) return new Promise((resolve, reject) => this.queue.push({ text, entries, resolve, reject }));
    try {
      this.write(text, entries);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve();
  }

  private write(text: string, entries: readonly Entry[]): void {
    appendFileSync(join(this.dir, "journal.jsonl"), text);
    for (const e of entries) {
      if (e.json === null) this.mirror.delete(e.key);
      else this.mirror.set(e.key, e.json);
    }
    this.lines += entries.length;
    if (this.lines >= COMPACT_AFTER)
      this.compacting = this.compact().then(
        () => this.resume(),
        () => this.resume(),
      );
  }

  /** After a snapshot: the appends that waited for it, in order (a new snapshot may make the rest wait again). */
  private resume(): void {
    this.compacting = null;
    const waiting = this.queue;
    this.queue = [];
    for (const [i, p] of waiting.entries()) {
      if (this.compacting !== null) {
        this.queue.push(...waiting.slice(i));
        return;
      }
      try {
        this.write(p.text, p.entries);
        p.resolve();
      } catch (error) {
        p.reject(error);
      }
    }
  }

  /** Writes the snapshot atomically, then empties the log (replaying both again would be harmless). */
  private async compact(): Promise<void> {
    const temp = join(this.dir, "store.jsonl.tmp");
    await writeFile(temp, [...this.mirror].map(([k, v]) => `[${JSON.stringify(k)},${v}]\n`).join(""));
    await rename(temp, join(this.dir, "store.jsonl"));
    await writeFile(join(this.dir, "journal.jsonl"), "");
    this.lines = 0;
  }

  /** Waits for pending appends, then compacts. */
  async close(): Promise<void> {
    while (this.compacting) await this.compacting;
    if (this.lines) await this.compact();
  }
}

/**
 * Routes the store's writes through the journals: a write to a journaled table's keys reaches memory only
 * once its journal has it on disk. Tables without a journal (made by CreateTable) stay in memory.
 */
export function journalWrites(db: LevelDb, journals: ReadonlyMap<string, Journal>): void {
  const put = db.put.bind(db);
  const del = db.del.bind(db);
  const batch = db.batch.bind(db);
  const through = (ops: LevelOp[], apply: (done: (error: unknown) => void) => unknown, callback?: (error: unknown) => void) => {
    const byTable = new Map<Journal, LevelOp[]>();
    for (const op of ops) {
      const journal = journals.get(tableOfKey(op.key) ?? "");
      if (!journal) continue;
      const list = byTable.get(journal);
      if (list) list.push(op);
      else byTable.set(journal, [op]);
    }
    const done = callback ?? (() => {});
    if (byTable.size === 0) return apply(done);
    Promise.all([...byTable].map(([journal, list]) => journal.append(list))).then(
      () => apply(done),
      (error: unknown) => done(error),
    );
    return undefined;
  };
  db.put = (key, value, callback) => through([{ type: "put", key, value }], (done) => put(key, value, done), callback);
  db.del = (key, callback) => through([{ type: "del", key }], (done) => del(key, done), callback);
  db.batch = (ops, callback) => through(ops, (done) => batch(ops, done), callback);
}
