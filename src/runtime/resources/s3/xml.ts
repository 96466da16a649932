/** The little XML the S3 API speaks: escaped text, nested elements, error documents. */
import type { ServerResponse } from "node:http";

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string);
}

/** `<name>children</name>`; children are strings (escaped) or already-built elements. */
export type Node = string | number | boolean | Element | null | undefined;
export interface Element {
  readonly xml: string;
}

export function el(name: string, ...children: Node[]): Element {
  const inner = children
    .filter((c) => c !== null && c !== undefined)
    .map((c) => (typeof c === "object" ? (c as Element).xml : escapeXml(String(c))))
    .join("");
  return { xml: `<${name}>${inner}</${name}>` };
}

/** Sends a document whose root carries the S3 namespace. */
export function sendXml(res: ServerResponse, status: number, root: string, ...children: Node[]): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${el(root, ...children).xml.replace(`<${root}>`, `<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`)}`;
  res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** An S3 error: status, code and message, and headers S3 sends with it (`x-amz-delete-marker`...). */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** S3's error document, with the request id of the `x-amz-request-id` header; HEAD answers carry no body. */
export function sendError(res: ServerResponse, error: S3Error, resource: string, head: boolean, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${el("Error", el("Code", error.code), el("Message", error.message), el("Resource", resource), el("RequestId", requestId)).xml}`;
  res.writeHead(error.status, {
    ...error.headers,
    "content-type": "application/xml",
    "content-length": head ? 0 : Buffer.byteLength(body),
    "x-amz-request-id": requestId,
    "x-amz-error-code": error.code,
  });
  res.end(head ? undefined : body);
}

/** Values of every `<tag>...</tag>` in a (small, trusted-shape) request body, in order. */
export function tagValues(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g");
  for (const m of xml.matchAll(re)) out.push(unescapeXml(m[1] ?? ""));
  return out;
}

/** Each `<tag>...</tag>` block's inner XML, for lists of structures (parts, objects to delete). */
export function blocks(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1] ?? "");
}

export function unescapeXml(value: string): string {
  return value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(x?)([0-9a-fA-F]+);/g, (_, hex: string, n: string) => String.fromCodePoint(Number.parseInt(n, hex ? 16 : 10)))
    .replace(/&amp;/g, "&");
}
