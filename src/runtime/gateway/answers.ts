/**
 * The gateway's own answers (403, 404, 413, 429, 502, 503, 504): they say which service and why, in JSON
 * when the client asks for JSON, else as a short HTML page for browsers or plain text.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

const TITLES: Record<number, string> = {
  400: "Bad request",
  403: "Forbidden",
  404: "Not found",
  413: "Request body too large",
  426: "Upgrade refused",
  429: "Too many requests",
  502: "Bad gateway",
  503: "Service unavailable",
  504: "Gateway timeout",
};

export interface Problem {
  readonly status: number;
  /** Service (or static site) concerned, when a route matched. */
  readonly service: string | null;
  /** The cause, in one sentence. */
  readonly reason: string;
  readonly requestId: string;
  readonly headers?: Record<string, string>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The body and content type of a problem, chosen from the request's Accept header. */
export function renderProblem(problem: Problem, accept: string | undefined): { type: string; body: string } {
  const title = TITLES[problem.status] ?? "Error";
  const wants = accept ?? "";
  if (wants.includes("json"))
    return {
      type: "application/json; charset=utf-8",
      body: `${JSON.stringify({ error: title, status: problem.status, service: problem.service, reason: problem.reason, requestId: problem.requestId })}\n`,
    };
  const line = problem.service ? `${title}: service "${problem.service}": ${problem.reason}` : `${title}: ${problem.reason}`;
  if (wants.includes("html"))
    return {
      type: "text/html; charset=utf-8",
      body: `<!doctype html><html><head><meta charset="utf-8"><title>${problem.status} ${title}</title></head><body><h1>${problem.status} ${title}</h1><p>${escapeHtml(problem.service ? `Service "${problem.service}": ${problem.reason}` : problem.reason)}</p><p><small>request ${escapeHtml(problem.requestId)} · cairn gateway</small></p></body></html>\n`,
    };
  return { type: "text/plain; charset=utf-8", body: `${line} (request ${problem.requestId})\n` };
}

/** Sends a problem; does nothing when the response has already begun (the connection is cut instead). */
export function sendProblem(req: IncomingMessage, res: ServerResponse, problem: Problem): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { type, body } = renderProblem(problem, req.headers.accept);
  res.writeHead(problem.status, {
    "content-type": type,
    "content-length": Buffer.byteLength(body),
    "x-request-id": problem.requestId,
    "cache-control": "no-store",
    ...problem.headers,
  });
  res.end(req.method === "HEAD" ? undefined : body);
}
