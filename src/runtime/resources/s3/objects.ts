/** Object operations: put, get (with ranges), head, delete, copy. */

import { createReadStream } from "node:fs";
import { copyFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { receive } from "./body.js";
import type { BucketStore, NewObject, Version } from "./store.js";
import { el, S3Error, sendXml } from "./xml.js";

const KEPT = ["cache-control", "content-disposition", "content-language", "expires"];

/** Content type, metadata and other stored headers from a request. */
export function objectHeaders(req: IncomingMessage): Pick<NewObject, "contentType" | "metadata" | "headers"> {
  const metadata: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value !== "string") continue;
    if (name.startsWith("x-amz-meta-")) metadata[name.slice(11)] = value;
    else if (KEPT.includes(name)) headers[name] = value;
  }
  const encoding = (req.headers["content-encoding"] ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e && e !== "aws-chunked")
    .join(", ");
  if (encoding) headers["content-encoding"] = encoding;
  return { contentType: req.headers["content-type"] ?? "binary/octet-stream", metadata, headers };
}

function describe(version: Version): Record<string, string> {
  const out: Record<string, string> = {
    etag: `"${version.etag}"`,
    "last-modified": new Date(version.lastModified).toUTCString(),
    "content-type": version.contentType,
    "accept-ranges": "bytes",
    ...version.headers,
  };
  if (version.versionId !== "null") out["x-amz-version-id"] = version.versionId;
  for (const [k, v] of Object.entries(version.metadata)) out[`x-amz-meta-${k}`] = v;
  return out;
}

export async function putObject(store: BucketStore, key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await receive(req, store.tempPath());
  const version = await store.commit(key, body.file, { size: body.size, etag: body.md5, ...objectHeaders(req) });
  const headers: Record<string, string> = { etag: `"${version.etag}"`, "content-length": "0" };
  if (version.versionId !== "null") headers["x-amz-version-id"] = version.versionId;
  res.writeHead(200, headers);
  res.end();
}

/** Parses a Range header against `size`: [start, end] inclusive, null for the whole object. */
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
  if (start >= size || start > end) throw new S3Error(416, "InvalidRange", "The requested range is not satisfiable");
  return [start, end];
}

function found(store: BucketStore, key: string, url: URL): Version {
  const versionId = url.searchParams.get("versionId");
  const version = store.get(key, versionId);
  if (!version) throw new S3Error(404, versionId ? "NoSuchVersion" : "NoSuchKey", `The specified key does not exist: ${key}`);
  if (version.deleteMarker) throw new S3Error(405, "MethodNotAllowed", "The specified version is a delete marker");
  return version;
}

export function getObject(store: BucketStore, key: string, url: URL, req: IncomingMessage, res: ServerResponse, head: boolean): void {
  const version = found(store, key, url);
  const headers = describe(version);
  for (const name of ["content-type", "content-disposition", "content-encoding", "content-language", "cache-control", "expires"]) {
    const override = url.searchParams.get(`response-${name}`);
    if (override) headers[name] = override;
  }
  if (req.headers["if-none-match"] === headers.etag) {
    res.writeHead(304, { etag: headers.etag as string });
    res.end();
    return;
  }
  const range = parseRange(req.headers.range, version.size);
  if (range) {
    headers["content-range"] = `bytes ${range[0]}-${range[1]}/${version.size}`;
    headers["content-length"] = String(range[1] - range[0] + 1);
  } else headers["content-length"] = String(version.size);
  res.writeHead(range ? 206 : 200, headers);
  if (head || version.size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(store.blobPath(version), range ? { start: range[0], end: range[1] } : {});
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}

export async function deleteObject(store: BucketStore, key: string, url: URL, res: ServerResponse): Promise<void> {
  const result = await store.delete(key, url.searchParams.get("versionId"));
  const headers: Record<string, string> = {};
  if (result.versionId) headers["x-amz-version-id"] = result.versionId;
  if (result.deleteMarker) headers["x-amz-delete-marker"] = "true";
  res.writeHead(204, headers);
  res.end();
}

/** CopyObject: `x-amz-copy-source: /bucket/key[?versionId=...]`, metadata copied or replaced. */
export async function copyObject(
  stores: (name: string) => BucketStore,
  target: BucketStore,
  key: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const source = sourceOf(req, stores);
  const replace = req.headers["x-amz-metadata-directive"] === "REPLACE";
  const temp = target.tempPath();
  await copyFile(source.store.blobPath(source.version), temp);
  const described = replace
    ? objectHeaders(req)
    : { contentType: source.version.contentType, metadata: source.version.metadata, headers: source.version.headers };
  const version = await target.commit(key, temp, { size: source.version.size, etag: source.version.etag, ...described });
  const headers: Record<string, string> = {};
  if (version.versionId !== "null") headers["x-amz-version-id"] = version.versionId;
  res.setHeader("x-amz-copy-source-version-id", source.version.versionId);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  sendXml(res, 200, "CopyObjectResult", el("LastModified", version.lastModified), el("ETag", `"${version.etag}"`));
}

/** The object named by `x-amz-copy-source`. */
export function sourceOf(req: IncomingMessage, stores: (name: string) => BucketStore): { store: BucketStore; version: Version } {
  const raw = String(req.headers["x-amz-copy-source"] ?? "");
  const [path = "", query = ""] = raw.split("?");
  const decoded = decodeURIComponent(path.replace(/^\//, ""));
  const slash = decoded.indexOf("/");
  if (slash <= 0) throw new S3Error(400, "InvalidArgument", `Bad x-amz-copy-source: ${raw}`);
  const store = stores(decoded.slice(0, slash));
  const versionId = new URLSearchParams(query).get("versionId");
  const version = store.get(decoded.slice(slash + 1), versionId);
  if (!version || version.deleteMarker) throw new S3Error(404, "NoSuchKey", `The copy source does not exist: ${decoded}`);
  return { store, version };
}
