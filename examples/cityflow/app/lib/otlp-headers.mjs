/**
 * The headers an OTLP exporter sends with each export, read as the OpenTelemetry specification says:
 * OTEL_EXPORTER_OTLP_TRACES_HEADERS, or else OTEL_EXPORTER_OTLP_HEADERS (the signal's own variable
 * wins; an empty one counts as unset), each a comma-separated list of `key=value` with the values
 * percent-decoded: `authorization=Bearer%20abc,x-tenant=paris`.
 *
 * Header values are often credentials: an entry that cannot be sent is skipped and reported by its
 * position and, when it is a valid name, its key; never by its value or its whole text.
 */

/** The two variables, the signal's own first. */
export const HEADER_VARIABLES = ["OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS"];

// An HTTP field name (RFC 9110 token).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// What a value may hold once decoded: visible ASCII, spaces and tabs (no CR, LF, NUL or other bytes).
const VALUE = /^[\t\x20-\x7e]*$/;
// Headers the exporter itself sets, or that belong to the connection: a user value would break the export.
const RESERVED = new Set([
  "content-type",
  "content-length",
  "transfer-encoding",
  "host",
  "connection",
  "keep-alive",
  "upgrade",
  "expect",
  "te",
  "trailer",
  "proxy-connection",
]);

/** Entries read at most, and the longest list read: W3C Baggage's limits (180 members, 8,192 bytes). */
export const MAX_ENTRIES = 180;
export const MAX_CHARS = 8192;

/** One `key=value` entry: { name, value }, or { key, reason } when it cannot be sent. */
function readEntry(entry) {
  const at = entry.indexOf("=");
  if (at < 0) return { key: null, reason: "it is not key=value" };
  const key = entry.slice(0, at).trim();
  if (!TOKEN.test(key)) return { key: null, reason: "its key is not a header name" };
  const name = key.toLowerCase();
  if (RESERVED.has(name)) return { key: name, reason: "the exporter sets this header itself" };
  let value;
  try {
    value = decodeURIComponent(entry.slice(at + 1)).trim();
  } catch {
    return { key: name, reason: "its value is not valid percent-encoding" };
  }
  if (!VALUE.test(value)) return { key: name, reason: "its value holds characters a header cannot carry" };
  return { name, value };
}

/**
 * Parses one variable's text into lowercase header names and decoded values, and the entries skipped
 * (1-based position, the key when it is a valid name, and why). Never throws.
 */
export function parseHeaders(text) {
  const headers = {};
  const skipped = [];
  if (typeof text !== "string" || text.trim() === "") return { headers, skipped };
  if (text.length > MAX_CHARS) return { headers, skipped: [{ position: 0, key: null, reason: `the list is longer than ${MAX_CHARS} characters` }] };
  const entries = text.split(",");
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.trim() === "") continue; // `a=1,,b=2` or a trailing comma: nothing to skip
    if (i >= MAX_ENTRIES) {
      skipped.push({ position: i + 1, key: null, reason: `only the first ${MAX_ENTRIES} entries are read` });
      break;
    }
    const read = readEntry(entry);
    if (read.reason) skipped.push({ position: i + 1, key: read.key, reason: read.reason });
    else headers[read.name] = read.value; // a repeated key: the last one wins
  }
  return { headers, skipped };
}

/** The headers for trace exports from `env`; each skipped entry is told to `warn` (name and position only). */
export function tracesHeaders(env, warn = () => {}) {
  const variable = HEADER_VARIABLES.find((name) => typeof env[name] === "string" && env[name] !== "");
  if (!variable) return {};
  const { headers, skipped } = parseHeaders(env[variable]);
  for (const s of skipped) {
    const which = s.position === 0 ? "" : ` entry ${s.position}${s.key ? ` (${s.key})` : ""}`;
    warn(`${variable}${which} skipped: ${s.reason}; write key=value pairs separated by commas, values percent-encoded`);
  }
  return headers;
}
