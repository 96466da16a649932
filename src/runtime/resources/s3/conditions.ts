/**
 * Conditional requests as S3 evaluates them (RFC 7232 order): If-Match, then If-Unmodified-Since unless
 * If-Match was given, then If-None-Match, then If-Modified-Since unless If-None-Match was given. Pure.
 */

export interface Conditions {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
  readonly ifUnmodifiedSince?: string;
}

/** What to answer instead of the object: 412, 304, or nothing to stop for. */
export type Verdict = "ok" | "precondition-failed" | "not-modified";

const tags = (header: string) => header.split(",").map((t) => t.trim().replace(/^W\//, "").replace(/^"|"$/g, ""));
const matches = (header: string, etag: string) => tags(header).some((t) => t === "*" || t === etag);

/** Seconds since the epoch of an HTTP date, or null when it does not parse (S3 then ignores it). */
function seconds(date: string | undefined): number | null {
  if (!date) return null;
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/** Evaluates the conditions against an object's ETag (without quotes) and last modification time. */
export function evaluate(conditions: Conditions, etag: string, lastModified: string): Verdict {
  const modified = Math.floor(Date.parse(lastModified) / 1000);
  if (conditions.ifMatch !== undefined) {
    if (!matches(conditions.ifMatch, etag)) return "precondition-failed";
  } else {
    const since = seconds(conditions.ifUnmodifiedSince);
    if (since !== null && modified > since) return "precondition-failed";
  }
  if (conditions.ifNoneMatch !== undefined) {
    if (matches(conditions.ifNoneMatch, etag)) return "not-modified";
  } else {
    const since = seconds(conditions.ifModifiedSince);
    if (since !== null && modified <= since) return "not-modified";
  }
  return "ok";
}

/** The conditions of a GET or HEAD. */
export function requestConditions(headers: Record<string, string | string[] | undefined>): Conditions {
  const one = (name: string) => (typeof headers[name] === "string" ? (headers[name] as string) : undefined);
  return {
    ifMatch: one("if-match"),
    ifNoneMatch: one("if-none-match"),
    ifModifiedSince: one("if-modified-since"),
    ifUnmodifiedSince: one("if-unmodified-since"),
  };
}

/** The copy-source conditions of a CopyObject or UploadPartCopy. */
export function copyConditions(headers: Record<string, string | string[] | undefined>): Conditions {
  const one = (name: string) => (typeof headers[name] === "string" ? (headers[name] as string) : undefined);
  return {
    ifMatch: one("x-amz-copy-source-if-match"),
    ifNoneMatch: one("x-amz-copy-source-if-none-match"),
    ifModifiedSince: one("x-amz-copy-source-if-modified-since"),
    ifUnmodifiedSince: one("x-amz-copy-source-if-unmodified-since"),
  };
}
