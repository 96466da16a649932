/** ListObjectsV2, ListObjects (v1) and ListObjectVersions over a bucket's sorted keys. */
import type { ServerResponse } from "node:http";
import type { BucketStore } from "./store.js";
import { type Element, el, sendXml } from "./xml.js";

interface Page {
  readonly contents: string[];
  readonly prefixes: string[];
  readonly truncated: boolean;
  /** The last key or prefix returned, to continue after. */
  readonly last: string | null;
}

/** Groups sorted keys after `after` under `prefix`, folding at `delimiter`, up to `max` entries. */
export function page(keys: readonly string[], prefix: string, delimiter: string, after: string, max: number): Page {
  const contents: string[] = [];
  const prefixes: string[] = [];
  let last: string | null = null;
  let truncated = false;
  for (const key of keys) {
    if (!key.startsWith(prefix) || key <= after) continue;
    let entry = key;
    let common = false;
    if (delimiter) {
      const at = key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        entry = key.slice(0, at + delimiter.length);
        common = true;
        if (entry === last || after.startsWith(entry)) continue;
      }
    }
    if (contents.length + prefixes.length >= max) {
      truncated = true;
      break;
    }
    if (common) prefixes.push(entry);
    else contents.push(key);
    last = entry;
  }
  return { contents, prefixes, truncated, last };
}

/** After a common prefix, continue past every key under it. */
const continueAfter = (last: string, delimiter: string) => (delimiter && last.endsWith(delimiter) ? `${last}\uffff` : last);

export function listObjects(store: BucketStore, url: URL, res: ServerResponse): void {
  const q = url.searchParams;
  const v2 = q.get("list-type") === "2";
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const max = Math.max(0, Math.min(1000, Number(q.get("max-keys") ?? 1000)));
  const encode = q.get("encoding-type") === "url";
  const name = (s: string) => (encode ? encodeURIComponent(s).replace(/%2F/g, "/") : s);
  const token = q.get("continuation-token");
  const after = v2 ? (token ? Buffer.from(token, "base64url").toString("utf8") : (q.get("start-after") ?? "")) : (q.get("marker") ?? "");
  const result = page(store.keys(), prefix, delimiter, after, max);
  const objects: Element[] = result.contents.map((key) => {
    const v = store.get(key);
    return el(
      "Contents",
      el("Key", name(key)),
      el("LastModified", v?.lastModified ?? ""),
      el("ETag", `"${v?.etag ?? ""}"`),
      el("Size", v?.size ?? 0),
      el("StorageClass", "STANDARD"),
    );
  });
  const common = result.prefixes.map((p) => el("CommonPrefixes", el("Prefix", name(p))));
  const next = result.truncated && result.last ? continueAfter(result.last, delimiter) : null;
  const head: Element[] = [el("Name", store.name), el("Prefix", name(prefix))];
  if (delimiter) head.push(el("Delimiter", name(delimiter)));
  head.push(el("MaxKeys", max), el("IsTruncated", result.truncated));
  if (encode) head.push(el("EncodingType", "url"));
  if (v2) {
    head.push(el("KeyCount", result.contents.length + result.prefixes.length));
    if (token) head.push(el("ContinuationToken", token));
    if (q.get("start-after")) head.push(el("StartAfter", name(q.get("start-after") ?? "")));
    if (next) head.push(el("NextContinuationToken", Buffer.from(next).toString("base64url")));
  } else {
    head.push(el("Marker", name(after)));
    if (next && delimiter) head.push(el("NextMarker", name(next)));
  }
  sendXml(res, 200, "ListBucketResult", ...head, ...objects, ...common);
}

export function listVersions(store: BucketStore, url: URL, res: ServerResponse): void {
  const prefix = url.searchParams.get("prefix") ?? "";
  const entries: Element[] = [];
  for (const record of store.allRecords()) {
    if (!record.key.startsWith(prefix)) continue;
    record.versions.forEach((v, i) => {
      const common = [el("Key", record.key), el("VersionId", v.versionId), el("IsLatest", i === 0), el("LastModified", v.lastModified)];
      entries.push(
        v.deleteMarker
          ? el("DeleteMarker", ...common)
          : el("Version", ...common, el("ETag", `"${v.etag}"`), el("Size", v.size), el("StorageClass", "STANDARD")),
      );
    });
  }
  sendXml(res, 200, "ListVersionsResult", el("Name", store.name), el("Prefix", prefix), el("MaxKeys", 1000), el("IsTruncated", false), ...entries);
}
