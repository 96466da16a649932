import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Unread } from "./unread.js";

/** Length-prefixed records (a byte of length, then that many bytes) read from chunks however split. */
function readRecords(chunks: readonly Buffer[]): { records: Buffer[]; joined: number } {
  const unread = new Unread();
  const records: Buffer[] = [];
  let joined = 0;
  for (const chunk of chunks) {
    let pending = unread.add(chunk);
    if (pending === null) continue;
    joined++;
    for (;;) {
      if (pending.length < 1) {
        unread.wait(pending, 1);
        break;
      }
      const length = 1 + (pending[0] ?? 0);
      if (pending.length < length) {
        unread.wait(pending, length);
        break;
      }
      records.push(Buffer.from(pending.subarray(1, length)));
      pending = pending.subarray(length);
    }
  }
  return { records, joined };
}

const split = (bytes: Buffer, cuts: readonly number[]) => {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length)).filter((c) => c.length > 0);
};

describe("unread bytes", () => {
  it("gives a parser every record exactly, however the bytes are split into chunks", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 255 }), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 40 }), (bodies, cuts) => {
        const bytes = Buffer.concat(bodies.map((b) => Buffer.concat([Buffer.from([b.length]), Buffer.from(b)])));
        const { records } = readRecords(split(bytes, cuts));
        expect(records).toEqual(bodies.map((b) => Buffer.from(b)));
      }),
    );
  });

  it("joins a record's chunks once it is whole, not once a chunk", () => {
    const body = Buffer.alloc(255, 7);
    const bytes = Buffer.concat([Buffer.from([255]), body]);
    const { records, joined } = readRecords(
      split(
        bytes,
        Array.from({ length: 255 }, (_, i) => i + 1),
      ),
    );
    expect(records).toEqual([body]);
    // The length byte alone, then the whole record: two joins for 256 one-byte chunks.
    expect(joined).toBe(2);
  });
});
