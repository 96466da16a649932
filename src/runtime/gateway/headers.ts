/**
 * Header work on the hot path, on raw header lists (name, value, name, value...) so that no header
 * object is built per request: what the request tells the gateway, and what goes upstream and back.
 */
import { is } from "./head-chars.js";

/** What the gateway reads from a request's headers, gathered in one pass. */
export interface RequestFacts {
  host: string | undefined;
  /** Host headers seen (one is right; see admit.ts). */
  hosts: number;
  requestId: string | undefined;
  forwardedFor: string | undefined;
  cookie: string | undefined;
  contentLength: number;
  chunked: boolean;
  accept: string | undefined;
  /** W3C trace context, re-sent by the gateway (continued or replaced, see src/runtime/telemetry). */
  traceparent: string | undefined;
  tracestate: string | undefined;
}

/** Headers never forwarded as they are: hop-by-hop ones and those the gateway sets itself. */
function dropped(name: string): boolean {
  switch (name.length) {
    case 2:
      return is(name, "te");
    case 6:
      // Node's server has already answered `Expect: 100-continue`.
      return is(name, "expect");
    case 7:
      return is(name, "upgrade") || is(name, "trailer");
    case 10:
      return is(name, "connection") || is(name, "keep-alive") || is(name, "tracestate");
    case 11:
      return is(name, "traceparent");
    case 12:
      return is(name, "x-request-id");
    case 15:
      return is(name, "x-forwarded-for");
    case 16:
      return is(name, "x-forwarded-host") || is(name, "proxy-connection");
    case 17:
      // The upstream client frames the body itself (chunked when its length is unknown).
      return is(name, "x-forwarded-proto") || is(name, "transfer-encoding");
    case 18:
      return is(name, "x-forwarded-prefix");
    default:
      return false;
  }
}

/**
 * Reads the facts of a request and copies its forwardable headers into `out` (cleared first).
 * A `Connection` header may name more hop-by-hop headers; those are rare enough to be left to the peer.
 */
export function scanRequest(raw: readonly string[], out: string[], facts: RequestFacts): void {
  facts.host = undefined;
  facts.hosts = 0;
  facts.requestId = undefined;
  facts.forwardedFor = undefined;
  facts.cookie = undefined;
  facts.contentLength = -1;
  facts.chunked = false;
  facts.accept = undefined;
  facts.traceparent = undefined;
  facts.tracestate = undefined;
  out.length = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    switch (name.length) {
      case 4:
        if (is(name, "host")) {
          facts.host = value;
          facts.hosts++;
        }
        break;
      case 6:
        if (is(name, "cookie")) facts.cookie = facts.cookie === undefined ? value : `${facts.cookie}; ${value}`;
        else if (is(name, "accept")) facts.accept = value;
        break;
      case 10:
        if (is(name, "tracestate")) facts.tracestate = facts.tracestate === undefined ? value : `${facts.tracestate},${value}`;
        break;
      case 11:
        // Two traceparent headers join into one invalid value: the trace starts anew, as the specification asks.
        if (is(name, "traceparent")) facts.traceparent = facts.traceparent === undefined ? value : `${facts.traceparent},${value}`;
        break;
      case 12:
        if (is(name, "x-request-id")) facts.requestId = value;
        break;
      case 14:
        if (is(name, "content-length")) facts.contentLength = Number(value);
        break;
      case 15:
        if (is(name, "x-forwarded-for")) facts.forwardedFor = value;
        break;
      case 17:
        if (is(name, "transfer-encoding")) facts.chunked = true;
        break;
    }
    if (!dropped(name)) out.push(name, value);
  }
}

/** Copies a response's headers for the client, without the hop-by-hop ones. */
export function responseHeaders(raw: readonly (string | Buffer)[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const field = raw[i] as string | Buffer;
    const name = typeof field === "string" ? field : field.toString("latin1");
    const n = name.length;
    if (
      (n === 10 && (is(name, "connection") || is(name, "keep-alive"))) ||
      (n === 17 && is(name, "transfer-encoding")) ||
      (n === 16 && is(name, "proxy-connection")) ||
      (n === 7 && is(name, "trailer"))
    )
      continue;
    const value = raw[i + 1] as string | Buffer;
    out.push(name, typeof value === "string" ? value : value.toString("latin1"));
  }
  return out;
}

/** `text` percent-decoded, or as it is when it is not valid percent-encoding (a client's cookie may be anything). */
function decoded(text: string): string {
  if (text.indexOf("%") === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The value of cookie `name` in a Cookie header (percent-decoded when it is valid), or null. Never throws. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  let at = header.indexOf(name);
  while (at !== -1) {
    const before = at === 0 ? 32 : header.charCodeAt(at - 1);
    if ((before === 32 || before === 59) && header.charCodeAt(at + name.length) === 61) {
      const start = at + name.length + 1;
      const end = header.indexOf(";", start);
      return decoded(header.slice(start, end === -1 ? header.length : end).trim());
    }
    at = header.indexOf(name, at + 1);
  }
  return null;
}

/** Methods that may be sent twice without harm. */
export function idempotent(method: string | undefined): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS" || method === "PUT" || method === "DELETE";
}
