/**
 * What the upstream lane (upstream-lane.ts) needs from a replica's answer: its status line and
 * headers, and how its body is framed (RFC 9112 §6.3). Pure.
 */
import { cleanHead, is, isToken } from "./head-chars.js";

/** How the body of an answer ends. */
export type Framing =
  /** No body (HEAD, 1xx, 204, 304). */
  | { readonly kind: "none" }
  /** Exactly `length` bytes. */
  | { readonly kind: "length"; readonly length: number }
  /** Chunked transfer coding. */
  | { readonly kind: "chunked" }
  /** Until the replica closes the connection. */
  | { readonly kind: "close" };

export interface ResponseHead {
  readonly status: number;
  /** Header names and values, in order, as received. */
  readonly raw: string[];
  readonly framing: Framing;
  /** The connection can carry another request once this answer ends. */
  readonly keepAlive: boolean;
}

const NONE: Framing = { kind: "none" };
const CHUNKED: Framing = { kind: "chunked" };
const CLOSE: Framing = { kind: "close" };

/** The value of a string of decimal digits, or -1. */
function digits(value: string): number {
  if (value.length === 0 || value.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Parses an answer's head (without its final blank line) to a request made with `method`. Null
 * when it is malformed: the lane then fails the request as a bad answer from the replica.
 */
export function parseResponseHead(head: string, method: string): ResponseHead | null {
  const lineEnd = head.indexOf("\r\n");
  const line = lineEnd === -1 ? head : head.slice(0, lineEnd);
  // "HTTP/1.1 200 OK": the version, a space, three digits, then an optional reason.
  if (line.length < 12 || !line.startsWith("HTTP/1.") || line.charCodeAt(8) !== 32) return null;
  const minor = line.charCodeAt(7);
  if (minor !== 48 && minor !== 49) return null;
  const status = Number(line.slice(9, 12));
  if (!Number.isInteger(status) || status < 100 || (line.length > 12 && line.charCodeAt(12) !== 32)) return null;
  if (!cleanHead(head)) return null;
  const raw: string[] = [];
  let keepAlive = minor === 49;
  let length = -1;
  /** A Transfer-Encoding was given (it overrides any length). */
  let coded = false;
  let chunked = false;
  let at = lineEnd;
  while (at !== -1 && at < head.length) {
    const start = at + 2;
    const stop = head.indexOf("\r\n", start);
    const end = stop === -1 ? head.length : stop;
    at = stop;
    const colon = head.indexOf(":", start);
    const first = head.charCodeAt(start);
    if (colon <= start || colon >= end || first === 32 || first === 9) return null;
    let from = colon + 1;
    let to = end;
    while (from < to && (head.charCodeAt(from) === 32 || head.charCodeAt(from) === 9)) from++;
    while (to > from && (head.charCodeAt(to - 1) === 32 || head.charCodeAt(to - 1) === 9)) to--;
    const name = head.slice(start, colon);
    if (!isToken(name)) return null;
    const value = head.slice(from, to);
    // Only three names matter here; their lengths tell them apart before any lowercasing.
    switch (colon - start) {
      case 14:
        if (is(name, "content-length")) {
          const n = digits(value);
          if (n < 0 || (length !== -1 && length !== n)) return null;
          length = n;
        }
        break;
      case 17:
        if (is(name, "transfer-encoding")) {
          // Only `chunked` as the final coding frames a body; anything else reads to the close.
          coded = true;
          chunked = value.toLowerCase().endsWith("chunked");
        }
        break;
      case 10:
        if (is(name, "connection")) {
          const v = value.toLowerCase();
          if (v.includes("close")) keepAlive = false;
          else if (v.includes("keep-alive")) keepAlive = true;
        }
        break;
    }
    raw.push(name, value);
  }
  if (coded && length !== -1) {
    // Both framings (RFC 9112 §6.3): the coding wins, the length goes, and the connection is not reused.
    for (let i = raw.length - 2; i >= 0; i -= 2) if (is(raw[i] as string, "content-length")) raw.splice(i, 2);
    keepAlive = false;
  }
  let framing: Framing;
  if (method === "HEAD" || status < 200 || status === 204 || status === 304) framing = NONE;
  else if (chunked) framing = CHUNKED;
  else if (length >= 0 && !coded) framing = length === 0 ? NONE : { kind: "length", length };
  else {
    framing = CLOSE;
    keepAlive = false;
  }
  return { status, raw, framing, keepAlive };
}
