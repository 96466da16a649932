/** Small helpers for the node:http servers: JSON answers, BASE_PATH handling, an access log, a clean close. */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { traceFields } from "./traced.mjs";

/** Writes a JSON answer. */
export function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  res.end(text);
}

/**
 * The request path without BASE_PATH: a service mounted under a prefix may receive paths with or
 * without it, depending on whether the proxy in front strips it.
 */
export function localPath(url, base) {
  const path = new URL(url, "http://x").pathname;
  if (base && (path === base || path.startsWith(`${base}/`))) return path.slice(base.length) || "/";
  return path;
}

/**
 * Logs one line per request once it is answered: method, path, status, milliseconds, and the trace and
 * span ids of the request's span when it is traced (so the console joins the line to the trace).
 */
export function accessLog(name, req, res, span) {
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stdout.write(`${name}: ${req.method} ${req.url} ${res.statusCode} ${ms.toFixed(1)}ms${traceFields(span)}\n`);
  });
}

/**
 * Listens on PORT (0 asks the system for a free one) and on HOST when the runtime gives one (Cairn binds
 * local services to loopback), else on every interface; closes on SIGTERM/SIGINT, then exits.
 */
export function serve(name, server, port, onClose = async () => {}) {
  server.listen(port, process.env.HOST || undefined, () => process.stdout.write(`${name}: listening on port ${server.address().port}\n`));
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await onClose();
    server.close(() => process.exit(0));
    server.closeAllConnections?.();
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on("SIGTERM", close);
  process.on("SIGINT", close);
  return close;
}

/** True when the module at `url` is the script node was started with (not imported by a test). */
export function isMain(url) {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(url));
  } catch {
    return false;
  }
}
