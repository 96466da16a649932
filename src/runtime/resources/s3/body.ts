/** Request bodies: streamed to a temporary file with their MD5, decoding aws-chunked on the way. */
import { createWriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { checkContentMd5, compare, Digests } from "./checksums.js";
import { AwsChunkedDecoder, isAwsChunked } from "./chunked.js";
import { S3Error } from "./xml.js";

export interface Received {
  readonly file: string;
  readonly size: number;
  /** Hex MD5 of the content. */
  readonly md5: string;
}

/** S3's largest single PUT (PutObject, UploadPart): 5 GiB. */
export const MAX_OBJECT_PUT = 5 * 1024 ** 3;

/** Writes the body of `req` to `file`, checking its size and its digests (Content-MD5, checksums). */
export async function receive(req: IncomingMessage, file: string): Promise<Received> {
  const declared = Number(req.headers["x-amz-decoded-content-length"] ?? req.headers["content-length"] ?? 0);
  if (declared > MAX_OBJECT_PUT) throw new S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
  checkContentMd5(req.headers);
  const digests = new Digests(req.headers);
  let size = 0;
  const counter = new PassThrough();
  counter.on("data", (chunk: Buffer) => {
    digests.update(chunk);
    size += chunk.length;
  });
  const decoder = isAwsChunked(req.headers) ? new AwsChunkedDecoder() : null;
  try {
    if (decoder) await pipeline(req, decoder, counter, createWriteStream(file));
    else await pipeline(req, counter, createWriteStream(file));
  } catch (error) {
    await unlink(file).catch(() => {});
    if ((error as NodeJS.ErrnoException).code === "ENOSPC") throw new S3Error(507, "InsufficientStorage", "The disk holding the bucket is full");
    throw new S3Error(400, "IncompleteBody", `Could not read the request body: ${(error as Error).message}`);
  }
  const expected = req.headers["x-amz-decoded-content-length"];
  if (expected !== undefined && Number(expected) !== size) {
    await unlink(file).catch(() => {});
    throw new S3Error(400, "IncompleteBody", `Expected ${expected} bytes, received ${size}`);
  }
  const computed = digests.finish();
  try {
    compare(req.headers, decoder?.trailers ?? {}, computed);
  } catch (error) {
    await unlink(file).catch(() => {});
    throw error;
  }
  return { file, size, md5: computed.md5 };
}

/**
 * The largest XML request body read into memory (CreateBucket, bucket settings, DeleteObjects,
 * CompleteMultipartUpload). S3 publishes no byte limit for these; its counts bound them: DeleteObjects
 * takes at most 1,000 keys of at most 1,024 bytes, CompleteMultipartUpload at most 10,000 parts, both
 * well under 2 MiB of XML. Past it S3's own answer for an oversize XML body: MaxMessageLengthExceeded.
 */
export const MAX_XML_BODY = 2 * 1024 * 1024;

/** A small body as text (XML requests), refused once it passes `limit` bytes, before reading the rest. */
export async function readText(req: IncomingMessage, limit = MAX_XML_BODY): Promise<string> {
  const tooBig = () => new S3Error(400, "MaxMessageLengthExceeded", `Your request was too big (the limit is ${limit} bytes).`);
  if (Number(req.headers["content-length"] ?? 0) > limit && !isAwsChunked(req.headers)) throw tooBig();
  const chunks: Buffer[] = [];
  let size = 0;
  let stream: NodeJS.ReadableStream = req;
  if (isAwsChunked(req.headers)) stream = req.pipe(new AwsChunkedDecoder());
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooBig();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
