/** Multipart uploads: create, upload parts (or copy them), list parts, complete, abort. */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { receive } from "./body.js";
import { objectHeaders, parseRange, sourceOf } from "./objects.js";
import { type BucketStore, type NewObject, newId } from "./store.js";
import { blocks, el, S3Error, sendXml, tagValues } from "./xml.js";

interface Upload extends Pick<NewObject, "contentType" | "metadata" | "headers"> {
  readonly key: string;
  readonly initiated: string;
}

const dirOf = (store: BucketStore, uploadId: string) => {
  if (!/^[a-z0-9]+$/.test(uploadId)) throw new S3Error(404, "NoSuchUpload", "The specified upload does not exist");
  return join(store.dir, "uploads", uploadId);
};

async function upload(store: BucketStore, uploadId: string, key: string): Promise<Upload> {
  try {
    const found = JSON.parse(await readFile(join(dirOf(store, uploadId), "upload.json"), "utf8")) as Upload;
    if (found.key === key) return found;
  } catch {
    // fall through
  }
  throw new S3Error(404, "NoSuchUpload", "The specified upload does not exist");
}

export async function createUpload(store: BucketStore, key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const uploadId = newId();
  await mkdir(dirOf(store, uploadId), { recursive: true });
  const record: Upload = { key, initiated: new Date().toISOString(), ...objectHeaders(req) };
  await writeFile(join(dirOf(store, uploadId), "upload.json"), JSON.stringify(record));
  sendXml(res, 200, "InitiateMultipartUploadResult", el("Bucket", store.name), el("Key", key), el("UploadId", uploadId));
}

function partNumber(url: URL): number {
  const n = Number(url.searchParams.get("partNumber"));
  if (!Number.isInteger(n) || n < 1 || n > 10000) throw new S3Error(400, "InvalidArgument", "Part number must be an integer between 1 and 10000");
  return n;
}

export async function uploadPart(
  store: BucketStore,
  key: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  stores: (name: string) => BucketStore,
): Promise<void> {
  const uploadId = url.searchParams.get("uploadId") ?? "";
  await upload(store, uploadId, key);
  const n = partNumber(url);
  const dir = dirOf(store, uploadId);
  const temp = store.tempPath();
  let md5: string;
  if (req.headers["x-amz-copy-source"]) {
    const source = sourceOf(req, stores);
    const range = parseRange(String(req.headers["x-amz-copy-source-range"] ?? "") || undefined, source.version.size);
    const hash = createHash("md5");
    const read = createReadStream(source.store.blobPath(source.version), range ? { start: range[0], end: range[1] } : {});
    read.on("data", (chunk) => hash.update(chunk));
    await pipeline(read, createWriteStream(temp));
    md5 = hash.digest("hex");
  } else {
    md5 = (await receive(req, temp)).md5;
  }
  await rename(temp, join(dir, `part-${n}`));
  await writeFile(join(dir, `part-${n}.etag`), md5);
  if (req.headers["x-amz-copy-source"]) sendXml(res, 200, "CopyPartResult", el("ETag", `"${md5}"`), el("LastModified", new Date().toISOString()));
  else {
    res.writeHead(200, { etag: `"${md5}"`, "content-length": "0" });
    res.end();
  }
}

export async function listParts(store: BucketStore, key: string, url: URL, res: ServerResponse): Promise<void> {
  const uploadId = url.searchParams.get("uploadId") ?? "";
  await upload(store, uploadId, key);
  const dir = dirOf(store, uploadId);
  const numbers = (await readdir(dir))
    .map((f) => /^part-(\d+)$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const parts = [];
  for (const n of numbers) {
    const etag = await readFile(join(dir, `part-${n}.etag`), "utf8");
    const { size } = await stat(join(dir, `part-${n}`));
    parts.push(el("Part", el("PartNumber", n), el("ETag", `"${etag}"`), el("Size", size)));
  }
  sendXml(res, 200, "ListPartsResult", el("Bucket", store.name), el("Key", key), el("UploadId", uploadId), el("IsTruncated", false), ...parts);
}

export async function completeUpload(store: BucketStore, key: string, url: URL, body: string, res: ServerResponse): Promise<void> {
  const uploadId = url.searchParams.get("uploadId") ?? "";
  const record = await upload(store, uploadId, key);
  const dir = dirOf(store, uploadId);
  const wanted = blocks(body, "Part").map((p) => ({ n: Number(tagValues(p, "PartNumber")[0]), etag: (tagValues(p, "ETag")[0] ?? "").replace(/"/g, "") }));
  if (wanted.length === 0) throw new S3Error(400, "MalformedXML", "The list of parts is empty");
  const temp = store.tempPath();
  const out = createWriteStream(temp);
  const digests: Buffer[] = [];
  let size = 0;
  let previous = 0;
  for (const part of wanted) {
    if (part.n <= previous) throw new S3Error(400, "InvalidPartOrder", "Parts must be listed in ascending order");
    previous = part.n;
    const etag = await readFile(join(dir, `part-${part.n}.etag`), "utf8").catch(() => null);
    if (etag === null || etag !== part.etag) throw new S3Error(400, "InvalidPart", `Part ${part.n} was not uploaded or its ETag differs`);
    digests.push(Buffer.from(etag, "hex"));
    const read = createReadStream(join(dir, `part-${part.n}`));
    read.on("data", (c) => {
      size += c.length;
    });
    await pipeline(read, out, { end: false });
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const etag = `${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${wanted.length}`;
  const version = await store.commit(key, temp, { size, etag, contentType: record.contentType, metadata: record.metadata, headers: record.headers });
  await rm(dir, { recursive: true, force: true });
  if (version.versionId !== "null") res.setHeader("x-amz-version-id", version.versionId);
  sendXml(
    res,
    200,
    "CompleteMultipartUploadResult",
    el("Location", `/${store.name}/${key}`),
    el("Bucket", store.name),
    el("Key", key),
    el("ETag", `"${etag}"`),
  );
}

export async function abortUpload(store: BucketStore, key: string, url: URL, res: ServerResponse): Promise<void> {
  const uploadId = url.searchParams.get("uploadId") ?? "";
  await upload(store, uploadId, key);
  await rm(dirOf(store, uploadId), { recursive: true, force: true });
  res.writeHead(204);
  res.end();
}
