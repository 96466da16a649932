/**
 * The path a route is chosen by, normalised as nginx normalises a request's URI before it matches a
 * `location`: percent-escapes decoded (an encoded `.` or `/` counts as one), `.` and `..` segments
 * resolved, repeated slashes merged (`merge_slashes on`), the query left aside. A path that climbs
 * above the root, holds a NUL or a broken escape is refused (400), as nginx refuses it. The local
 * gateway and the generated nginx then pick the same upstream for the same request (the corpus in
 * fixtures/paths.txt and path-parity.test.ts hold both to it). Pure.
 */

/** Characters that may make the raw path differ from its normal form. */
const UNUSUAL = /[%#]|\/[./]/;
const HEX = /^[0-9A-Fa-f]{2}$/;

/** Decodes `%XX` escapes into bytes (latin1 characters); null for a broken escape or a NUL. */
function decode(raw: string): string | null {
  if (raw.indexOf("%") === -1) return raw.indexOf("\0") === -1 ? raw : null;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c !== "%") {
      out += c;
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!HEX.test(hex)) return null;
    const code = Number.parseInt(hex, 16);
    if (code === 0) return null;
    out += String.fromCharCode(code);
    i += 2;
  }
  return out;
}

/** Resolves `.` and `..` segments and merges slashes; null when `..` climbs above the root. */
function resolveSegments(path: string): string | null {
  const out: string[] = [];
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] as string;
    const last = i === parts.length - 1;
    if (part === "" || part === ".") {
      if (last) out.push("");
      continue;
    }
    if (part === "..") {
      if (out.length === 0 || (out.length === 1 && out[0] === "")) return null;
      if (out.at(-1) === "") out.pop();
      out.pop();
      if (last) out.push("");
      continue;
    }
    if (out.at(-1) === "") out.pop();
    out.push(part);
  }
  return `/${out.join("/")}`;
}

/** Bytes that go escaped in a path sent upstream (nginx's NGX_ESCAPE_URI set): controls, space, `#`, `%`, `?`, non-ASCII. */
const ESCAPE = /[^\x21-\x7e]|[#%?"]/g;

/** The normal form of a path, escaped again for a request line (what nginx sends when it rewrites the path). */
export function escapePath(path: string): string {
  return path.replace(ESCAPE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/**
 * The request target (origin form) with its path in normal form and escaped again, the query as it
 * came; the target itself (the same string) when nothing in it needs normalising, which costs one
 * regular-expression test; null when nginx would refuse it with 400 (a broken escape, a NUL, `..`
 * above the root).
 */
export function normalTarget(target: string): string | null {
  if (!UNUSUAL.test(target)) return target;
  const q = target.indexOf("?");
  const raw = q === -1 ? target : target.slice(0, q);
  if (!UNUSUAL.test(raw)) return target;
  // nginx ends the path at a `#` (a fragment a client should not have sent).
  const hash = raw.indexOf("#");
  const decoded = decode(hash === -1 ? raw : raw.slice(0, hash));
  if (decoded === null || decoded.charCodeAt(0) !== 47) return null;
  const path = resolveSegments(decoded);
  if (path === null) return null;
  return escapePath(path) + (q === -1 ? "" : target.slice(q));
}
