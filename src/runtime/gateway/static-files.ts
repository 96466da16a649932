/**
 * Static sites routed with `to: <static resource>`: files from the resource's folder, `index.html`
 * for a folder, and for a single-page app the root `index.html` for any path that names no file.
 */
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { StaticPlan } from "./plan.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
};

/** The file a request path names inside `dir`, or null when it would leave the folder. Pure. */
export function staticFile(dir: string, urlPath: string): string | null {
  const query = urlPath.indexOf("?");
  let decoded: string;
  try {
    decoded = decodeURIComponent(query === -1 ? urlPath : urlPath.slice(0, query));
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const root = path.resolve(dir);
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return file === root || file.startsWith(`${root}${path.sep}`) ? file : null;
}

/**
 * The file's stats when it is a regular file whose real path stays inside the site's real folder: a
 * symbolic link in the folder that leads out of it (`dist/x -> /etc/shadow`) serves nothing.
 */
async function regularFile(file: string, root: string): Promise<{ stats: fs.Stats; real: string } | null> {
  try {
    const [real, realRoot] = await Promise.all([fs.promises.realpath(file), fs.promises.realpath(root)]);
    if (real !== realRoot && !real.startsWith(`${realRoot}${path.sep}`)) return null;
    const stats = await fs.promises.stat(real);
    return stats.isFile() ? { stats, real } : null;
  } catch {
    return null;
  }
}

/** Serves a static request; resolves false when nothing answers it (the caller sends 404). */
export async function serveStatic(site: StaticPlan, req: IncomingMessage, res: ServerResponse, urlPath: string, requestId: string): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const file = staticFile(site.dir, urlPath);
  if (file === null) return false;
  let found = await regularFile(file, site.dir);
  if (!found) found = await regularFile(path.join(file, "index.html"), site.dir);
  // A single-page app owns its paths: anything that is not a file (no extension) gets the app.
  if (!found && site.spa && path.extname(file) === "") found = await regularFile(path.join(path.resolve(site.dir), "index.html"), site.dir);
  if (!found) return false;
  const { stats, real: chosen } = found;
  res.writeHead(200, {
    "content-type": TYPES[path.extname(chosen).toLowerCase()] ?? "application/octet-stream",
    "content-length": stats.size,
    "last-modified": stats.mtime.toUTCString(),
    "x-request-id": requestId,
  });
  if (req.method === "HEAD") {
    res.end();
    return true;
  }
  await new Promise<void>((resolve) => {
    const stream = fs.createReadStream(chosen);
    stream.once("error", () => {
      res.destroy();
      resolve();
    });
    res.once("close", () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
  return true;
}
