import { describe, expect, it } from "vitest";
import { settledHeap } from "../test-support/heap.js";
import { detach } from "./detach.js";

/** Heap held by 200 cuts of 200 kB strings, kept through `keep`. */
async function held(keep: (cut: string) => string): Promise<number> {
  const base = await settledHeap();
  const kept: string[] = [];
  for (let i = 0; i < 200; i++) {
    const long = `${i} ${"z".repeat(200_000)}`;
    kept.push(keep(long.slice(0, 2_000)));
  }
  const used = (await settledHeap()) - base;
  expect(kept).toHaveLength(200);
  return used;
}

describe("detach", () => {
  it("keeps the characters, lone surrogates and empty strings included", () => {
    for (const text of ["", "a", "x".repeat(5_000), "caf\u00e9 \ud83d\ude00", "\ud800 lone", "\u0000end"]) expect(detach(text)).toBe(text);
  });

  it("lets the string it was cut from go: 200 cuts of 2,000 characters hold 0.4 MB, not the 40 MB they came from", async () => {
    const views = await held((cut) => cut);
    const copies = await held(detach);
    expect(views).toBeGreaterThan(30 * 1_048_576);
    expect(copies).toBeLessThan(4 * 1_048_576);
  });
});
