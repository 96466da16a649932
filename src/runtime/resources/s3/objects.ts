/** Object operations: put, get and head (ranges, parts, conditions), delete, copy. */

import { createReadStream } from "node:fs";
import { copyFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { receive } from "./body.js";
import { copyConditions, evaluate, requestConditions } from "./conditions.js";
import { partRange } from "./multipart.js";
import type { BucketStore, NewObject, Version } from "./store.js";
import { el, S3Error, sendXml } from "./xml.js";

const KEPT = ["cache-control", "content-disposition", "content-language", "expires"];

/** Content type, metadata and other stored headers from a request; metadata over S3's 2 KB is refused. */
export function objectHeaders(req: IncomingMessage): Pick<NewObject, "contentType" | "metadata" | "headers"> {
  const metadata: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value !== "string") continue;
    // Node reads header bytes as latin1; S3 metadata is UTF-8.
    if (name.startsWith("x-amz-meta-")) metadata[name.slice(11)] = Buffer.from(value, "latin1").toString("utf8");
    else if (KEPT.includes(name)) headers[name] = value;
  }
  const size = Object.entries(metadata).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (size > 2048) throw new S3Error(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size");
  const encoding = (req.headers["content-encoding"] ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e && e !== "aws-chunked")
    .join(", ");
  if (encoding) headers["content-encoding"] = encoding;
  return { contentType: req.headers["content-type"] ?? "binary/octet-stream", metadata, headers };
}

/** The version id header: only for buckets that have had versioning (S3 leaves it out otherwise). */
export function versionHeader(store: BucketStore, version: Pick<Version, "versionId">): Record<string, string> {
  return store.versioning ? { "x-amz-version-id": version.versionId } : {};
}

/** The version id header of a write's answer: S3 names only real versions, not the "null" one. */
export function writtenHeader(version: Pick<Version, "versionId">): Record<string, string> {
  return version.versionId === "null" ? {} : { "x-amz-version-id": version.versionId };
}

function describe(store: BucketStore, version: Version): Record<string, string> {
  const out: Record<string, string> = {
    etag: `"${version.etag}"`,
    "last-modified": new Date(version.lastModified).toUTCString(),
    "content-type": version.contentType,
    "accept-ranges": "bytes",
    ...version.headers,
    ...versionHeader(store, version),
  };
  for (const [k, v] of Object.entries(version.metadata)) out[`x-amz-meta-${k}`] = Buffer.from(v, "utf8").toString("latin1");
  return out;
}

export async function putObject(store: BucketStore, key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const described = objectHeaders(req);
  const body = await receive(req, store.tempPath());
  const version = await store.commit(key, body.file, { size: body.size, etag: body.md5, ...described });
  res.writeHead(200, { etag: `"${version.etag}"`, "content-length": "0", ...writtenHeader(version) });
  res.end();
}

/** Parses a Range header against `size`: [start, end] inclusive, null for the whole object (or no range). */
export function parseRange(header: string | undefined, size: number): [number, number] | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number;
  let end: number;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) throw new S3Error(416, "InvalidRange", "The requested range is not satisfiable", { "content-range": `bytes */${size}` });
  return [start, end];
}

/** The version a GET, HEAD or copy names; a delete marker answers as S3 does (404, or 405 when asked by id). */
export function found(store: BucketStore, key: string, versionId: string | null): Version {
  const version = store.latest(key, versionId);
  if (!version)
    throw new S3Error(
      404,
      versionId ? "NoSuchVersion" : "NoSuchKey",
      versionId ? "The specified version does not exist." : "The specified key does not exist.",
    );
  if (version.deleteMarker) {
    const headers = { "x-amz-delete-marker": "true", "x-amz-version-id": version.versionId };
    if (versionId) throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.", headers);
    throw new S3Error(404, "NoSuchKey", "The specified key does not exist.", headers);
  }
  return version;
}

export async function getObject(
  store: BucketStore,
  key: string,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
  head: boolean,
): Promise<void> {
  const version = found(store, key, query.get("versionId"));
  const headers = describe(store, version);
  const verdict = evaluate(requestConditions(req.headers), version.etag, version.lastModified);
  if (verdict === "precondition-failed") throw new S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
  if (verdict === "not-modified") {
    res.writeHead(304, { etag: headers.etag as string, "last-modified": headers["last-modified"] as string });
    return void res.end();
  }
  for (const name of ["content-type", "content-disposition", "content-encoding", "content-language", "cache-control", "expires"]) {
    const override = query.get(`response-${name}`);
    if (override) headers[name] = override;
  }
  let range = parseRange(req.headers.range, version.size);
  if (query.has("partNumber")) {
    const part = await partRange(store, version, query.get("partNumber") ?? "");
    range = part.range;
    headers["x-amz-mp-parts-count"] = String(part.count);
  }
  if (range) {
    headers["content-range"] = `bytes ${range[0]}-${range[1]}/${version.size}`;
    headers["content-length"] = String(range[1] - range[0] + 1);
  } else headers["content-length"] = String(version.size);
  res.writeHead(range ? 206 : 200, headers);
  if (head || version.size === 0 || (range && range[1] < range[0])) return void res.end();
  const stream = createReadStream(store.blobPath(version), range ? { start: range[0], end: range[1] } : {});
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}

export async function deleteObject(store: BucketStore, key: string, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const result = await store.delete(key, query.get("versionId"));
  const headers: Record<string, string> = {};
  if (result.versionId) headers["x-amz-version-id"] = result.versionId;
  if (result.deleteMarker) headers["x-amz-delete-marker"] = "true";
  res.writeHead(204, headers);
  res.end();
}

/** CopyObject: `x-amz-copy-source: /bucket/key[?versionId=...]`, with its conditions; metadata copied or replaced. */
export async function copyObject(
  stores: (name: string) => BucketStore,
  target: BucketStore,
  key: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const source = sourceOf(req, stores);
  const replace = req.headers["x-amz-metadata-directive"] === "REPLACE";
  if (source.store === target && source.key === key && !replace && !source.explicitVersion) {
    throw new S3Error(
      400,
      "InvalidRequest",
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const described = replace
    ? objectHeaders(req)
    : { contentType: source.version.contentType, metadata: source.version.metadata, headers: source.version.headers };
  const temp = target.tempPath();
  await copyFile(source.store.blobPath(source.version), temp);
  const version = await target.commit(key, temp, { size: source.version.size, etag: source.version.etag, ...described });
  for (const [k, v] of Object.entries(writtenHeader(version))) res.setHeader(k, v);
  if (source.store.versioning) res.setHeader("x-amz-copy-source-version-id", source.version.versionId);
  sendXml(res, 200, "CopyObjectResult", el("LastModified", version.lastModified), el("ETag", `"${version.etag}"`));
}

/** The object named by `x-amz-copy-source`, its copy conditions checked. */
export function sourceOf(
  req: IncomingMessage,
  stores: (name: string) => BucketStore,
): { store: BucketStore; key: string; version: Version; explicitVersion: boolean } {
  const raw = String(req.headers["x-amz-copy-source"] ?? "");
  const at = raw.indexOf("?");
  let decoded: string;
  try {
    decoded = decodeURIComponent((at < 0 ? raw : raw.slice(0, at)).replace(/^\//, ""));
  } catch {
    throw new S3Error(400, "InvalidArgument", "Invalid copy source encoding");
  }
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) throw new S3Error(400, "InvalidArgument", "Invalid copy source object key");
  const store = stores(decoded.slice(0, slash));
  const versionId = new URLSearchParams(at < 0 ? "" : raw.slice(at + 1)).get("versionId");
  const key = decoded.slice(slash + 1);
  let version: Version;
  try {
    version = found(store, key, versionId);
  } catch (error) {
    if (error instanceof S3Error && error.status === 405)
      throw new S3Error(400, "InvalidRequest", "The source of a copy request may not specifically refer to a delete marker by version id.");
    throw error;
  }
  if (evaluate(copyConditions(req.headers), version.etag, version.lastModified) !== "ok") {
    throw new S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
  }
  return { store, key, version, explicitVersion: versionId !== null };
}
