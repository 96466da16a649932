/**
 * Which bucket and key a request names: path-style (`/bucket/key`) or virtual-hosted (`bucket.host/key`).
 * A malformed path (`%`, an invalid escape) is S3's InvalidURI, never a throw out of the server. Pure.
 */
import { S3Error } from "./xml.js";

export interface Target {
  readonly bucket: string;
  readonly key: string;
  readonly query: URLSearchParams;
  /** The decoded path, for error documents. */
  readonly path: string;
}

function decode(text: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    throw new S3Error(400, "InvalidURI", "Couldn't parse the specified URI.");
  }
  // S3 refuses the C1 control characters in a path (C0 ones, such as a newline, are valid in keys).
  if (/[\u0080-\u009f]/.test(decoded)) throw new S3Error(400, "InvalidURI", "Couldn't parse the specified URI.");
  return decoded;
}

/** Parses a request target; `isBucket` tells virtual-hosted names (`bucket.localhost`) from the host's own. */
export function parseTarget(url: string, hostHeader: string, ownHost: string, isBucket: (name: string) => boolean): Target {
  const at = url.indexOf("?");
  const rawPath = at < 0 ? url : url.slice(0, at);
  const query = new URLSearchParams(at < 0 ? "" : url.slice(at + 1));
  if (!rawPath.startsWith("/")) throw new S3Error(400, "InvalidURI", "Couldn't parse the specified URI.");
  const hostname = hostHeader.replace(/:\d+$/, "");
  const label = hostname.split(".")[0] ?? "";
  if (hostname !== ownHost && hostname.includes(".") && isBucket(label)) {
    const key = decode(rawPath.slice(1));
    return { bucket: label, key, query, path: `/${label}/${key}` };
  }
  const path = rawPath.slice(1);
  const slash = path.indexOf("/");
  const bucket = decode(slash < 0 ? path : path.slice(0, slash));
  const key = slash < 0 ? "" : decode(path.slice(slash + 1));
  if (bucket === "" && slash >= 0) throw new S3Error(400, "InvalidURI", "Couldn't parse the specified URI.");
  return { bucket, key, query, path: `/${bucket}${key ? `/${key}` : ""}` };
}
