// Stand-in for Mangetamain's Streamlit dashboard: Streamlit's health path, a page, and the live
// WebSocket channel Streamlit uses (echo). Loads its "data" at start and keeps a disk cache in
// $CACHE_DIR. Plain Node, no dependencies.
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { acceptWebSocket } from "./websocket.mjs";

const port = Number(process.env.PORT ?? 8501);
const base = (process.env.BASE_PATH ?? "").replace(/\/$/, "");
const cacheDir = process.env.CACHE_DIR ?? ".cache";
mkdirSync(cacheDir, { recursive: true });
const recipes = Array.from({ length: 1000 }, (_, i) => ({ id: i, minutes: (i * 37) % 120, steps: (i * 7) % 15 }));
writeFileSync(join(cacheDir, "summary.json"), JSON.stringify({ recipes: recipes.length }));
const page = `<!doctype html><html><head><meta charset="utf-8"><title>Mangetamain</title></head><body>
<h1>Mangetamain</h1><p>${recipes.length} recipes loaded</p><p id="live">connecting…</p>
<script>
const ws = new WebSocket(location.origin.replace(/^http/, "ws") + "${base}/_stcore/stream");
ws.onopen = () => ws.send("ping");
ws.onmessage = (e) => { document.getElementById("live").textContent = "live: " + e.data; };
</script></body></html>`;

const strip = (url) => (base && url.startsWith(base) ? url.slice(base.length) || "/" : url);
const server = createServer((req, res) => {
  const path = strip(new URL(req.url ?? "/", "http://x").pathname);
  if (path === "/_stcore/health") return res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  if (path === "/") return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
  res.writeHead(404).end();
});
server.on("upgrade", (req, socket) => {
  if (strip(new URL(req.url ?? "/", "http://x").pathname) !== "/_stcore/stream") return socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
  const ws = acceptWebSocket(req, socket);
  ws?.onMessage((text) => ws.send(text));
});
server.listen(port, process.env.HOST ?? "127.0.0.1", () => console.log(`INFO dashboard on ${port}, ${recipes.length} recipes in memory`));
// Graceful stop: no new connections, requests in flight get half a second to finish.
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 500).unref();
});
