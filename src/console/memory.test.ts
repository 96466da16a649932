/**
 * The log view's memory bound, through the real path of a line (a replica's pipe, its LogSink, the
 * store): 10,000 lines kept, each at most LINE_CHARS, none holding the chunk it was cut from.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { LogSink } from "../runtime/supervisor/log-sink.js";
import { settledHeap } from "../test-support/heap.js";
import { LINE_CHARS, LOG_CAPACITY, LogStore } from "./logs.js";

const dir = mkdtempSync(join(tmpdir(), "cairn-console-memory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `chunks` through a LogSink into `store`, as a replica's stdout would; resolves at the end. */
async function pipe(store: LogStore, chunks: Iterable<string>, name: string): Promise<void> {
  const sink = new LogSink(
    join(dir, `${name}.log`),
    "api.1",
    (line) => store.add(line),
    undefined,
    (t) => t.replaceAll("hunter2", "***"),
  );
  const out = new PassThrough();
  sink.follow(out, "out");
  const ended = new Promise((resolve) => out.on("end", resolve));
  for (const chunk of chunks) out.write(chunk);
  out.end();
  await ended;
  await sink.close();
}

function* lines(count: number): Generator<string> {
  for (let i = 0; i < count; i += 500) {
    let chunk = "";
    for (let k = i; k < Math.min(count, i + 500); k++) chunk += `${k} GET /api/items ${k % 7 ? "ok" : "error password=hunter2"}\n`;
    yield chunk;
  }
}

describe("console log store", () => {
  it("keeps the last 10,000 of 110,000 lines, redacted, numbered in order", async () => {
    const store = new LogStore();
    await pipe(store, lines(110_000), "many");
    expect(store.size).toBe(LOG_CAPACITY);
    const all = store.query({ limit: LOG_CAPACITY });
    expect(all).toHaveLength(LOG_CAPACITY);
    expect(all[0]?.text).toMatch(/^100000 GET/);
    expect(all.at(-1)?.text).toMatch(/^109999 GET/);
    expect(all.at(-1)?.seq).toBe(110_000);
    expect(all.some((l) => l.text.includes("hunter2"))).toBe(false);
    expect(store.query({ level: "error", limit: LOG_CAPACITY }).length).toBeGreaterThan(1_000);
  });

  it("holds each line, not the pipe chunk it came in: 1,000 chunks of 30 kB keep under 8 MB, not the chunks", async () => {
    const store = new LogStore();
    const before = await settledHeap();
    // Each chunk: a 30 kB line (cut to LINE_CHARS) and a short one, both cut from the chunk by the sink.
    function* chunks() {
      for (let i = 0; i < 1_000; i++) yield `${i} ${"x".repeat(30_000)}\nshort line ${i} of the chunk\n`;
    }
    await pipe(store, chunks(), "wide");
    const held = (await settledHeap()) - before;
    expect(store.size).toBe(2_000);
    const [long, short] = store.query({ limit: 2 });
    expect(long?.text).toHaveLength(LINE_CHARS + 1);
    expect(short?.text).toBe("short line 999 of the chunk");
    expect(held).toBeLessThan(8 * 1_048_576);
  });
});
