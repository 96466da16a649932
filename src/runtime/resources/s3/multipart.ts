/**
 * Multipart uploads: create, upload parts (or copy them), list parts and uploads, complete, abort. A part's
 * data goes to a file of its own and `part-N.json` (its file, ETag and size) is renamed into place, so a
 * part uploaded twice at once is one upload or the other, never data of one with the ETag of the other.
 * A completed upload leaves `completed.json`, so an SDK that retries CompleteMultipartUpload gets the
 * same answer, as from S3; the next start removes those.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { receive } from "./body.js";
import { objectHeaders, sourceOf, writtenHeader } from "./objects.js";
import { type BucketStore, type NewObject, newId, type Version } from "./store.js";
import { blocks, el, S3Error, sendXml, tagValues } from "./xml.js";

interface Upload extends Pick<NewObject, "contentType" | "metadata" | "headers"> {
  readonly key: string;
  readonly initiated: string;
}
interface Part {
  readonly file: string;
  readonly etag: string;
  readonly size: number;
  readonly modified: string;
}
interface Completed {
  readonly key: string;
  readonly etag: string;
  readonly versionId: string;
}

const MIN_PART = 5 * 1024 * 1024;
const noUpload = () =>
  new S3Error(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");

const dirOf = (store: BucketStore, uploadId: string) => {
  if (!/^[a-z0-9]+$/.test(uploadId)) throw noUpload();
  return join(store.dir, "uploads", uploadId);
};
const readJson = <T>(file: string): Promise<T | null> =>
  readFile(file, "utf8")
    .then((t) => JSON.parse(t) as T)
    .catch(() => null);

async function upload(store: BucketStore, uploadId: string, key: string): Promise<Upload> {
  const dir = dirOf(store, uploadId);
  const found = await readJson<Upload>(join(dir, "upload.json"));
  if (!found || found.key !== key || (await readJson(join(dir, "completed.json")))) throw noUpload();
  return found;
}

async function parts(dir: string): Promise<Map<number, Part>> {
  const out = new Map<number, Part>();
  for (const file of await readdir(dir)) {
    const n = /^part-(\d+)\.json$/.exec(file)?.[1];
    const part = n ? await readJson<Part>(join(dir, file)) : null;
    if (part) out.set(Number(n), part);
  }
  return out;
}

export async function createUpload(store: BucketStore, key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const uploadId = newId();
  await mkdir(dirOf(store, uploadId), { recursive: true });
  const record: Upload = { key, initiated: new Date().toISOString(), ...objectHeaders(req) };
  await writeFile(join(dirOf(store, uploadId), "upload.json"), JSON.stringify(record));
  sendXml(res, 200, "InitiateMultipartUploadResult", el("Bucket", store.name), el("Key", key), el("UploadId", uploadId));
}

function partNumber(query: URLSearchParams): number {
  const n = Number(query.get("partNumber"));
  if (!Number.isInteger(n) || n < 1 || n > 10000) throw new S3Error(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
  return n;
}

/** `x-amz-copy-source-range`: `bytes=first-last` inside the source, as S3 checks it. */
function copyRange(header: string | undefined, size: number): [number, number] | null {
  if (header === undefined) return null;
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!m)
    throw new S3Error(
      400,
      "InvalidArgument",
      "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
    );
  const [first, last] = [Number(m[1]), Number(m[2])];
  if (first > last || last >= size) throw new S3Error(400, "InvalidRange", "The requested range is not satisfiable");
  return [first, last];
}

export async function uploadPart(
  store: BucketStore,
  key: string,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
  stores: (name: string) => BucketStore,
): Promise<void> {
  const uploadId = query.get("uploadId") ?? "";
  await upload(store, uploadId, key);
  const n = partNumber(query);
  const dir = dirOf(store, uploadId);
  const file = newId();
  let etag: string;
  let size: number;
  const copying = req.headers["x-amz-copy-source"] !== undefined;
  if (copying) {
    const source = sourceOf(req, stores);
    const range = copyRange(req.headers["x-amz-copy-source-range"] as string | undefined, source.version.size);
    const hash = createHash("md5");
    const read = createReadStream(source.store.blobPath(source.version), range ? { start: range[0], end: range[1] } : {});
    read.on("data", (chunk) => hash.update(chunk));
    await pipeline(read, createWriteStream(join(dir, file)));
    etag = hash.digest("hex");
    size = range ? range[1] - range[0] + 1 : source.version.size;
  } else {
    const body = await receive(req, store.tempPath());
    await rename(body.file, join(dir, file));
    ({ md5: etag, size } = body);
  }
  const part: Part = { file, etag, size, modified: new Date().toISOString() };
  const temp = join(dir, `${file}.json`);
  await writeFile(temp, JSON.stringify(part));
  const previous = await readJson<Part>(join(dir, `part-${n}.json`));
  await rename(temp, join(dir, `part-${n}.json`));
  if (previous) await rm(join(dir, previous.file), { force: true });
  if (copying) return sendXml(res, 200, "CopyPartResult", el("ETag", `"${etag}"`), el("LastModified", part.modified));
  res.writeHead(200, { etag: `"${etag}"`, "content-length": "0" });
  res.end();
}

export async function listParts(store: BucketStore, key: string, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const uploadId = query.get("uploadId") ?? "";
  await upload(store, uploadId, key);
  const after = Number(query.get("part-number-marker") ?? 0);
  const max = Math.min(1000, Number(query.get("max-parts") ?? 1000));
  const all = [...(await parts(dirOf(store, uploadId)))].sort(([a], [b]) => a - b).filter(([n]) => n > after);
  const page = all.slice(0, max);
  const items = page.map(([n, p]) => el("Part", el("PartNumber", n), el("LastModified", p.modified), el("ETag", `"${p.etag}"`), el("Size", p.size)));
  const truncated = all.length > page.length;
  const next = truncated ? el("NextPartNumberMarker", page.at(-1)?.[0] ?? 0) : null;
  sendXml(
    res,
    200,
    "ListPartsResult",
    el("Bucket", store.name),
    el("Key", key),
    el("UploadId", uploadId),
    el("PartNumberMarker", after),
    next,
    el("MaxParts", max),
    el("IsTruncated", truncated),
    ...items,
  );
}

export async function listUploads(store: BucketStore, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const prefix = query.get("prefix") ?? "";
  const uploads: Array<Upload & { id: string }> = [];
  for (const id of await readdir(join(store.dir, "uploads")).catch(() => [] as string[])) {
    const found = await readJson<Upload>(join(store.dir, "uploads", id, "upload.json"));
    if (found?.key.startsWith(prefix) && !(await readJson(join(store.dir, "uploads", id, "completed.json")))) uploads.push({ ...found, id });
  }
  uploads.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated.localeCompare(b.initiated)));
  const items = uploads.map((u) =>
    el(
      "Upload",
      el("Key", u.key),
      el("UploadId", u.id),
      el("Initiator", el("ID", "cairn")),
      el("Owner", el("ID", "cairn")),
      el("StorageClass", "STANDARD"),
      el("Initiated", u.initiated),
    ),
  );
  sendXml(res, 200, "ListMultipartUploadsResult", el("Bucket", store.name), el("Prefix", prefix), el("MaxUploads", 1000), el("IsTruncated", false), ...items);
}

function completedAnswer(res: ServerResponse, store: BucketStore, done: Completed): void {
  for (const [k, v] of Object.entries(writtenHeader(done))) res.setHeader(k, v);
  sendXml(
    res,
    200,
    "CompleteMultipartUploadResult",
    el("Location", `/${store.name}/${done.key}`),
    el("Bucket", store.name),
    el("Key", done.key),
    el("ETag", `"${done.etag}"`),
  );
}

export async function completeUpload(store: BucketStore, key: string, query: URLSearchParams, body: string, res: ServerResponse): Promise<void> {
  const uploadId = query.get("uploadId") ?? "";
  const dir = dirOf(store, uploadId);
  const done = await readJson<Completed>(join(dir, "completed.json"));
  if (done && done.key === key) return completedAnswer(res, store, done);
  const record = await upload(store, uploadId, key);
  const wanted = blocks(body, "Part").map((p) => ({ n: Number(tagValues(p, "PartNumber")[0]), etag: (tagValues(p, "ETag")[0] ?? "").replace(/"/g, "") }));
  if (wanted.length === 0) throw new S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
  const uploaded = await parts(dir);
  let previous = 0;
  for (const [i, part] of wanted.entries()) {
    if (part.n <= previous) throw new S3Error(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
    previous = part.n;
    const found = uploaded.get(part.n);
    if (!found || found.etag !== part.etag)
      throw new S3Error(
        400,
        "InvalidPart",
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      );
    if (i < wanted.length - 1 && found.size < MIN_PART)
      throw new S3Error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
  }
  const temp = store.tempPath();
  const out = createWriteStream(temp);
  for (const part of wanted) {
    for await (const chunk of createReadStream(join(dir, uploaded.get(part.n)?.file ?? ""))) {
      if (!out.write(chunk)) await once(out, "drain");
    }
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const chosen = wanted.map((p) => uploaded.get(p.n) as Part);
  const etag = `${createHash("md5")
    .update(Buffer.concat(chosen.map((p) => Buffer.from(p.etag, "hex"))))
    .digest("hex")}-${wanted.length}`;
  const size = chosen.reduce((n, p) => n + p.size, 0);
  const version = await store.commit(key, temp, {
    size,
    etag,
    parts: chosen.map((p) => p.size),
    contentType: record.contentType,
    metadata: record.metadata,
    headers: record.headers,
  });
  const completed: Completed = { key, etag, versionId: version.versionId };
  await writeFile(join(dir, "completed.json"), JSON.stringify(completed));
  for (const p of uploaded.values()) await rm(join(dir, p.file), { force: true });
  completedAnswer(res, store, completed);
}

export async function abortUpload(store: BucketStore, key: string, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const uploadId = query.get("uploadId") ?? "";
  await upload(store, uploadId, key);
  await rm(dirOf(store, uploadId), { recursive: true, force: true });
  res.writeHead(204);
  res.end();
}

/** GET or HEAD with `partNumber`: the byte range of that part and the number of parts (1 for a plain object). */
export async function partRange(_store: BucketStore, version: Version, text: string): Promise<{ range: [number, number] | null; count: number }> {
  const n = Number(text);
  const sizes = version.parts ?? [version.size];
  if (!Number.isInteger(n) || n < 1 || n > 10000) throw new S3Error(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
  if (n > sizes.length) throw new S3Error(416, "InvalidPartNumber", "The requested partnumber is not satisfiable");
  const start = sizes.slice(0, n - 1).reduce((a, b) => a + b, 0);
  const size = sizes[n - 1] as number;
  return { range: version.parts ? [start, start + size - 1] : null, count: sizes.length };
}
