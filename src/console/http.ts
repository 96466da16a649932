/** Small answers for the console's routes: JSON, text, errors, and a bounded request body. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Bodies above this are refused (a query box or an action needs a few kilobytes). */
export const MAX_BODY = 64 * 1024;

/** An answer for one request with a status and a message the page shows. */
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ConsoleError";
  }
}

const COMMON = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
} as const;

/** Headers every console answer carries; pages add the content security policy. */
export function commonHeaders(extra: Record<string, string | number> = {}): Record<string, string | number> {
  return { ...COMMON, ...extra };
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, commonHeaders({ "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) }));
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, text: string, type = "text/plain; charset=utf-8", extra: Record<string, string> = {}): void {
  res.writeHead(status, commonHeaders({ "content-type": type, "content-length": Buffer.byteLength(text), ...extra }));
  res.end(text);
}

/** Reads a JSON object body of at most MAX_BODY bytes. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY) throw new ConsoleError(413, `body larger than ${MAX_BODY} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new ConsoleError(413, `body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new ConsoleError(400, "the body is not JSON");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new ConsoleError(400, "the body must be a JSON object");
  return value as Record<string, unknown>;
}

/** A bounded integer query parameter. */
export function intParam(url: URL, name: string, fallback: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConsoleError(400, `${name} must be a whole number`);
  return Math.min(n, max);
}
