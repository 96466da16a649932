/** Request heads the gateway's lean lane serves itself (see fast-lane.ts). Pure. */
import { cleanHead, isToken } from "./head-chars.js";

/** A request head the lane can serve. */
export interface Head {
  readonly method: string;
  readonly url: string;
  /** Header names and values, in order. */
  readonly raw: string[];
  readonly host: string | undefined;
  readonly keepAlive: boolean;
  /** An HTTP/1.0 client: no chunked answers. */
  readonly http10: boolean;
}

/**
 * Parses a request head (without its final blank line). Null when the lane should not serve it: a
 * body, an upgrade, `Expect`, folded or malformed lines, characters a head may not hold, a version
 * other than 1.0/1.1 (node:http then answers, or refuses with 400). Pure.
 */
export function parseHead(head: string): Head | null {
  const lineEnd = head.indexOf("\r\n");
  const line = lineEnd === -1 ? head : head.slice(0, lineEnd);
  const sp1 = line.indexOf(" ");
  const sp2 = line.lastIndexOf(" ");
  const version = line.slice(sp2 + 1);
  if (sp1 <= 0 || sp2 <= sp1 || (version !== "HTTP/1.1" && version !== "HTTP/1.0") || line.charCodeAt(sp1 + 1) !== 47) return null;
  // One space on each side of the target, and nothing in the head a lenient replica could misread.
  if (line.indexOf(" ", sp1 + 1) !== sp2 || !cleanHead(head)) return null;
  const raw: string[] = [];
  let host: string | undefined;
  let keepAlive = version === "HTTP/1.1";
  let at = lineEnd;
  while (at !== -1 && at < head.length) {
    const start = at + 2;
    const stop = head.indexOf("\r\n", start);
    const field = stop === -1 ? head.slice(start) : head.slice(start, stop);
    at = stop;
    const colon = field.indexOf(":");
    const first = field.charCodeAt(0);
    if (colon <= 0 || first === 32 || first === 9 || field.charCodeAt(colon - 1) === 32) return null;
    const name = field.slice(0, colon);
    if (!isToken(name)) return null;
    const value = field.slice(colon + 1).trim();
    switch (name.length) {
      case 4:
        if (name.toLowerCase() === "host") host = value;
        break;
      case 6:
        if (name.toLowerCase() === "expect") return null;
        break;
      case 7:
        if (name.toLowerCase() === "upgrade") return null;
        break;
      case 10:
        if (name.toLowerCase() === "connection") {
          const lower = value.toLowerCase();
          if (lower.includes("upgrade")) return null;
          if (lower.includes("close")) keepAlive = false;
          else if (lower.includes("keep-alive")) keepAlive = true;
        }
        break;
      case 14:
        if (name.toLowerCase() === "content-length" && value !== "0") return null;
        break;
      case 17:
        if (name.toLowerCase() === "transfer-encoding") return null;
        break;
    }
    raw.push(name, value);
  }
  return { method: line.slice(0, sp1), url: line.slice(sp1 + 1, sp2), raw, host, keepAlive, http10: version === "HTTP/1.0" };
}
