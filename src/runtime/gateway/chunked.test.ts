import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChunkedDecoder } from "./chunked.js";

/** Feeds `wire` in the given pieces; returns the body, where the body ended in the wire, and the state. */
function decode(wire: Buffer, cuts: number[] = []) {
  const decoder = new ChunkedDecoder();
  const pieces: Buffer[] = [];
  let offset = 0;
  let endedAt = -1;
  const bounds = [...new Set(cuts.filter((c) => c > 0 && c < wire.length))].sort((a, b) => a - b);
  for (const [from, to] of [0, ...bounds].map((b, i, all) => [b, all[i + 1] ?? wire.length] as const)) {
    const part = wire.subarray(from, to);
    const end = decoder.feed(part, 0, (p) => pieces.push(Buffer.from(p)));
    if (end === -1) return { body: Buffer.concat(pieces), endedAt: -1, broken: true, done: decoder.done };
    offset = from;
    if (decoder.done) {
      endedAt = offset + end;
      break;
    }
  }
  return { body: Buffer.concat(pieces), endedAt, broken: false, done: decoder.done };
}

const frame = (chunks: Buffer[], tail = "0\r\n\r\n") =>
  Buffer.concat([...chunks.flatMap((c) => [Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from("\r\n")]), Buffer.from(tail)]);

describe("chunked body decoder", () => {
  it("decodes any chunking, cut anywhere, and says where the body ends", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 6 }),
        fc.array(fc.nat(2_000), { maxLength: 8 }),
        fc.uint8Array({ maxLength: 20 }),
        (chunks, cuts, after) => {
          const body = frame(chunks.map((c) => Buffer.from(c)));
          const wire = Buffer.concat([body, Buffer.from(after)]);
          const got = decode(wire, cuts);
          expect(got.done).toBe(true);
          expect(got.body.equals(Buffer.concat(chunks.map((c) => Buffer.from(c))))).toBe(true);
          expect(got.endedAt).toBe(body.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("skips chunk extensions and trailer fields, and reads sizes in either case", () => {
    const wire = Buffer.from("A;name=value\r\n0123456789\r\nf \r\nabcdefghijklmno\r\n0\r\nExpires: never\r\nX-Sum: 1\r\n\r\nNEXT");
    const got = decode(wire);
    expect(got.body.toString()).toBe("0123456789abcdefghijklmno");
    expect(wire.subarray(got.endedAt).toString()).toBe("NEXT");
  });

  it("waits for more when the body is cut short", () => {
    const decoder = new ChunkedDecoder();
    const wire = Buffer.from("5\r\nhel");
    expect(decoder.feed(wire, 0, () => undefined)).toBe(wire.length);
    expect(decoder.done).toBe(false);
  });

  it("refuses broken framing", () => {
    for (const text of ["\r\n", "zz\r\n", "5\r\nhello!!\r\n", "5\nhello\r\n", "5\r\nhello\r\r", "1234567890abcdef0\r\n", "0\r\nX: 1\r\r"])
      expect(decode(Buffer.from(text)).broken, text).toBe(true);
  });
});
