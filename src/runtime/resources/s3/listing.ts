/** ListObjectsV2, ListObjects (v1) and ListObjectVersions over a bucket's sorted keys. */
import type { ServerResponse } from "node:http";
import type { BucketStore, KeyRecord } from "./store.js";
import { type Element, el, S3Error, sendXml } from "./xml.js";

interface Page {
  readonly contents: string[];
  readonly prefixes: string[];
  readonly truncated: boolean;
  /** The last key or common prefix returned, to continue after (S3's NextMarker). */
  readonly last: string | null;
}

/** The common prefix `key` folds into under `prefix` and `delimiter`, or null. */
function folded(key: string, prefix: string, delimiter: string): string | null {
  if (!delimiter) return null;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? null : key.slice(0, at + delimiter.length);
}

/** Groups sorted keys after `after` under `prefix`, folding at `delimiter`, up to `max` entries. */
export function page(keys: readonly string[], prefix: string, delimiter: string, after: string, max: number): Page {
  const contents: string[] = [];
  const prefixes: string[] = [];
  let last: string | null = null;
  let truncated = false;
  for (const key of keys) {
    if (!key.startsWith(prefix) || key <= after) continue;
    const common = folded(key, prefix, delimiter);
    // Past a common prefix (here, or the one a marker names), every key under it is already counted.
    if (common !== null && (common === last || after.startsWith(common))) continue;
    if (contents.length + prefixes.length >= max) {
      // S3 answers max-keys=0 with nothing and IsTruncated false.
      truncated = max > 0;
      break;
    }
    if (common !== null) prefixes.push(common);
    else contents.push(key);
    last = common ?? key;
  }
  return { contents, prefixes, truncated, last };
}

/** `max-keys`: 0 to 1,000 (more is 1,000); anything else is InvalidArgument, as S3 answers. */
function maxKeys(query: URLSearchParams): number {
  const text = query.get("max-keys");
  if (text === null || text === "") return 1000;
  if (!/^\d+$/.test(text)) throw new S3Error(400, "InvalidArgument", "Provided max-keys not an integer or within integer range");
  return Math.min(1000, Number(text));
}

const owner = () => el("Owner", el("ID", "cairn"), el("DisplayName", "cairn"));

export function listObjects(store: BucketStore, query: URLSearchParams, res: ServerResponse): void {
  const v2 = query.get("list-type") === "2";
  const prefix = query.get("prefix") ?? "";
  const delimiter = query.get("delimiter") ?? "";
  const max = maxKeys(query);
  const encode = query.get("encoding-type") === "url";
  if (query.has("encoding-type") && !encode) throw new S3Error(400, "InvalidArgument", "Invalid Encoding Method specified in Request");
  const name = (s: string) => (encode ? encodeURIComponent(s).replace(/%2F/g, "/") : s);
  const token = query.get("continuation-token");
  const startAfter = query.get("start-after") ?? "";
  const decoded = token ? Buffer.from(token, "base64url").toString("utf8") : "";
  // v2 continues after the later of the token and start-after.
  const after = v2 ? ([decoded, startAfter].sort().at(-1) ?? "") : (query.get("marker") ?? "");
  // allow-unordered is an extension of other S3 servers; with a delimiter they refuse it, and so does this one.
  if (query.get("allow-unordered") === "true" && delimiter) throw new S3Error(400, "InvalidArgument", "allow-unordered cannot be used with a delimiter");
  const result = page(store.keys(), prefix, delimiter, after, max);
  const withOwner = !v2 || query.get("fetch-owner") === "true";
  const objects: Element[] = result.contents.map((key) => {
    const v = store.get(key);
    return el(
      "Contents",
      el("Key", name(key)),
      el("LastModified", v?.lastModified ?? ""),
      el("ETag", `"${v?.etag ?? ""}"`),
      el("Size", v?.size ?? 0),
      el("StorageClass", "STANDARD"),
      withOwner ? owner() : null,
    );
  });
  const common = result.prefixes.map((p) => el("CommonPrefixes", el("Prefix", name(p))));
  const next = result.truncated ? result.last : null;
  // ListObjects (v1) sends the prefix as given; v2 encodes it with the keys (what the SDKs decode).
  const head: Element[] = [el("Name", store.name), el("Prefix", v2 ? name(prefix) : prefix)];
  if (v2) {
    if (token !== null) head.push(el("ContinuationToken", token));
    if (query.has("start-after")) head.push(el("StartAfter", name(startAfter)));
    head.push(el("KeyCount", result.contents.length + result.prefixes.length));
  } else {
    head.push(el("Marker", name(after)));
    if (next && delimiter) head.push(el("NextMarker", name(next)));
  }
  head.push(el("MaxKeys", max));
  if (delimiter) head.push(el("Delimiter", name(delimiter)));
  if (encode) head.push(el("EncodingType", "url"));
  head.push(el("IsTruncated", result.truncated));
  if (v2 && next) head.push(el("NextContinuationToken", Buffer.from(next).toString("base64url")));
  sendXml(res, 200, "ListBucketResult", ...head, ...objects, ...common);
}

/** ListObjectVersions: every version and delete marker, newest first within a key, with markers to page on. */
export function listVersions(store: BucketStore, query: URLSearchParams, res: ServerResponse): void {
  const prefix = query.get("prefix") ?? "";
  const delimiter = query.get("delimiter") ?? "";
  const max = maxKeys(query);
  const keyMarker = query.get("key-marker") ?? "";
  const versionMarker = query.get("version-id-marker") ?? "";
  const entries: Element[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let nextKey = "";
  let nextVersion = "";
  const records: KeyRecord[] = store.allRecords();
  outer: for (const record of records) {
    if (!record.key.startsWith(prefix) || record.key < keyMarker || (record.key === keyMarker && !versionMarker)) continue;
    const common = folded(record.key, prefix, delimiter);
    if (common !== null) {
      if (prefixes.includes(common) || keyMarker.startsWith(common)) continue;
      if (entries.length + prefixes.length >= max) {
        truncated = true;
        break;
      }
      prefixes.push(common);
      [nextKey, nextVersion] = [common, ""];
      continue;
    }
    let versions = record.versions;
    if (record.key === keyMarker) versions = versions.slice(versions.findIndex((v) => v.versionId === versionMarker) + 1);
    for (const v of versions) {
      if (entries.length + prefixes.length >= max) {
        truncated = true;
        break outer;
      }
      const latest = record.versions[0] === v;
      const common = [el("Key", record.key), el("VersionId", v.versionId), el("IsLatest", latest), el("LastModified", v.lastModified), owner()];
      entries.push(
        v.deleteMarker
          ? el("DeleteMarker", ...common)
          : el("Version", ...common, el("ETag", `"${v.etag}"`), el("Size", v.size), el("StorageClass", "STANDARD")),
      );
      [nextKey, nextVersion] = [record.key, v.versionId];
    }
  }
  const head: Element[] = [el("Name", store.name), el("Prefix", prefix), el("KeyMarker", keyMarker), el("VersionIdMarker", versionMarker)];
  if (truncated) head.push(el("NextKeyMarker", nextKey), el("NextVersionIdMarker", nextVersion));
  head.push(el("MaxKeys", max));
  if (delimiter) head.push(el("Delimiter", delimiter));
  head.push(el("IsTruncated", truncated));
  sendXml(res, 200, "ListVersionsResult", ...head, ...entries, ...prefixes.map((p) => el("CommonPrefixes", el("Prefix", p))));
}
