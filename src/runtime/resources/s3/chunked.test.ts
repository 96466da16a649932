import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { AwsChunkedDecoder, isAwsChunked, MAX_LINE } from "./chunked.js";

const decode = (parts: string[]) => buffer(Readable.from(parts.map((p) => Buffer.from(p))).pipe(new AwsChunkedDecoder()));

describe("aws-chunked decoding", () => {
  it("decodes signed chunks split anywhere, and unsigned chunks with a checksum trailer", async () => {
    const signed = "5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=fff\r\n\r\n";
    expect((await decode([signed.slice(0, 7), signed.slice(7, 30), signed.slice(30)])).toString()).toBe("hello world");
    const trailer = "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n";
    expect((await decode([trailer])).toString()).toBe("abc");
  });

  it("rejects a body that ends inside a chunk or has a bad header", async () => {
    await expect(decode(["a\r\nshort"])).rejects.toThrow("ended early");
    await expect(decode(["zz\r\n"])).rejects.toThrow("bad chunk header");
    // A header line that never ends is refused once past the limit, not buffered: 1 kB pieces of it.
    await expect(decode(Array.from({ length: MAX_LINE / 1024 + 2 }, () => "5;".padEnd(1024, "x")))).rejects.toThrow("longer than 8192 bytes");
  });

  it("recognises the encoding from either header", () => {
    expect(isAwsChunked({ "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" })).toBe(true);
    expect(isAwsChunked({ "content-encoding": "gzip, aws-chunked" })).toBe(true);
    expect(isAwsChunked({ "x-amz-content-sha256": "UNSIGNED-PAYLOAD" })).toBe(false);
  });
});
