/**
 * Integrity checks S3 makes on a body: Content-MD5 and the `x-amz-checksum-*` values (in a header, or in
 * an aws-chunked trailer), each computed while the body streams and compared at its end (BadDigest).
 * CRC64NVME is accepted without a check (no implementation here yet).
 */
import { createHash, type Hash } from "node:crypto";
import { crc32 } from "node:zlib";
import { S3Error } from "./xml.js";

type Headers = Record<string, string | string[] | undefined>;
const ALGORITHMS = ["crc32", "crc32c", "sha1", "sha256"] as const;
type Algorithm = (typeof ALGORITHMS)[number];

const CRC32C = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(chunk: Buffer, previous: number): number {
  let crc = ~previous >>> 0;
  for (const byte of chunk) crc = (CRC32C[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}

const word = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString("base64");
};

/** Running digests of a body: always MD5 (the ETag), and the checksums the request names. */
export class Digests {
  private readonly md5 = createHash("md5");
  private readonly hashes = new Map<Algorithm, Hash>();
  private crc = { crc32: 0, crc32c: 0 };
  private readonly wanted: Set<Algorithm>;

  constructor(headers: Headers) {
    const named = String(headers["x-amz-trailer"] ?? "") + String(headers["x-amz-sdk-checksum-algorithm"] ?? "");
    this.wanted = new Set(ALGORITHMS.filter((a) => headers[`x-amz-checksum-${a}`] !== undefined || named.toLowerCase().includes(a)));
    for (const a of ["sha1", "sha256"] as const) if (this.wanted.has(a)) this.hashes.set(a, createHash(a));
  }

  update(chunk: Buffer): void {
    this.md5.update(chunk);
    for (const hash of this.hashes.values()) hash.update(chunk);
    if (this.wanted.has("crc32")) this.crc.crc32 = crc32(chunk, this.crc.crc32);
    if (this.wanted.has("crc32c")) this.crc.crc32c = crc32c(chunk, this.crc.crc32c);
  }

  /** The MD5 as hex, and each checksum as S3 writes it (base64). */
  finish(): { md5: string; checksums: Partial<Record<Algorithm, string>> } {
    const checksums: Partial<Record<Algorithm, string>> = {};
    for (const [a, hash] of this.hashes) checksums[a] = hash.digest("base64");
    if (this.wanted.has("crc32")) checksums.crc32 = word(this.crc.crc32);
    if (this.wanted.has("crc32c")) checksums.crc32c = word(this.crc.crc32c);
    return { md5: this.md5.digest("hex"), checksums };
  }
}

/** Throws InvalidDigest for a Content-MD5 that is not one, before the body is read. */
export function checkContentMd5(headers: Headers): void {
  const given = headers["content-md5"];
  if (given !== undefined && Buffer.from(String(given), "base64").length !== 16) {
    throw new S3Error(400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
  }
}

/** Compares what was computed with what the request (headers, then trailers) said: BadDigest on a mismatch. */
export function compare(headers: Headers, trailers: Headers, computed: ReturnType<Digests["finish"]>): void {
  checkContentMd5(headers);
  const md5 = headers["content-md5"];
  if (md5 !== undefined && Buffer.from(String(md5), "base64").toString("hex") !== computed.md5) {
    throw new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
  }
  for (const a of ALGORITHMS) {
    const given = headers[`x-amz-checksum-${a}`] ?? trailers[`x-amz-checksum-${a}`];
    if (given !== undefined && computed.checksums[a] !== undefined && String(given) !== computed.checksums[a]) {
      throw new S3Error(400, "BadDigest", `The ${a.toUpperCase()} you specified did not match the calculated checksum.`);
    }
  }
}

/** Checks a body read whole (XML requests). */
export function verifyDigests(headers: Headers, body: Buffer): void {
  const digests = new Digests(headers);
  digests.update(body);
  compare(headers, {}, digests.finish());
}
