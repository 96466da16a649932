/**
 * Decodes the `aws-chunked` payload encoding the AWS SDK uses for streaming uploads
 * (`x-amz-content-sha256: STREAMING-...`): `<hex size>[;chunk-signature=...]\r\n<data>\r\n`,
 * ending with a zero-size chunk and optional trailers (checksums). Chunk signatures are not
 * verified: the endpoint is local and accepts any credentials.
 */
import { Transform, type TransformCallback } from "node:stream";

export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const sha = String(headers["x-amz-content-sha256"] ?? "");
  const encoding = String(headers["content-encoding"] ?? "");
  return sha.startsWith("STREAMING-") || encoding.split(",").some((e) => e.trim() === "aws-chunked");
}

/** Bytes a chunk header or trailer line may take: a longer one is refused, not buffered. */
export const MAX_LINE = 8 * 1024;

export class AwsChunkedDecoder extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private state: "size" | "data" | "crlf" | "trailer" | "done" = "size";
  /** Trailers sent after the last chunk (`x-amz-checksum-crc32: ...`), names in lower case. */
  readonly trailers: Record<string, string> = {};

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    try {
      this.drain();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.state === "done" || this.state === "trailer" ? null : new Error("aws-chunked body ended early"));
  }

  private drain(): void {
    for (;;) {
      if (this.state === "data") {
        if (this.buffer.length === 0) return;
        const take = Math.min(this.remaining, this.buffer.length);
        this.push(this.buffer.subarray(0, take));
        this.buffer = this.buffer.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = "crlf";
        continue;
      }
      if (this.state === "done") {
        this.buffer = Buffer.alloc(0);
        return;
      }
      const end = this.buffer.indexOf("\r\n");
      if (end < 0) {
        if (this.buffer.length > MAX_LINE) throw new Error(`aws-chunked: a chunk header or trailer line longer than ${MAX_LINE} bytes`);
        return;
      }
      const line = this.buffer.subarray(0, end).toString("latin1");
      this.buffer = this.buffer.subarray(end + 2);
      if (this.state === "crlf") {
        if (line !== "") throw new Error("aws-chunked: missing CRLF after a chunk");
        this.state = "size";
      } else if (this.state === "size") {
        const size = Number.parseInt(line.split(";")[0] ?? "", 16);
        if (!Number.isFinite(size)) throw new Error(`aws-chunked: bad chunk header "${line.slice(0, 40)}"`);
        if (size === 0) this.state = "trailer";
        else {
          this.remaining = size;
          this.state = "data";
        }
      } else if (this.state === "trailer") {
        // Trailers such as x-amz-checksum-crc32:...; an empty line ends the body.
        if (line === "") this.state = "done";
        else {
          const colon = line.indexOf(":");
          if (colon > 0) this.trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
      }
    }
  }
}
