/** Request bodies: streamed to a temporary file with their MD5, decoding aws-chunked on the way. */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AwsChunkedDecoder, isAwsChunked } from "./chunked.js";
import { S3Error } from "./xml.js";

export interface Received {
  readonly file: string;
  readonly size: number;
  /** Hex MD5 of the content. */
  readonly md5: string;
}

/** Writes the body of `req` to `file`. */
export async function receive(req: IncomingMessage, file: string): Promise<Received> {
  const hash = createHash("md5");
  let size = 0;
  const counter = new PassThrough();
  counter.on("data", (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  try {
    if (isAwsChunked(req.headers)) await pipeline(req, new AwsChunkedDecoder(), counter, createWriteStream(file));
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
  return { file, size, md5: hash.digest("hex") };
}

/** A small body as text (XML requests). */
export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let stream: NodeJS.ReadableStream = req;
  if (isAwsChunked(req.headers)) stream = req.pipe(new AwsChunkedDecoder());
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
