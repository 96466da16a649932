// Stand-in for ForestGuard's Streamlit dashboard: the same endpoints where it matters.
//   GET  $BASE_PATH/healthz            health (the load balancer's check)
//   GET  $BASE_PATH/                   a page that opens the live channel
//   WS   $BASE_PATH/_stcore/stream     the live channel: echoes each message back
//   GET  $BASE_PATH/api/zones          sample deforestation zones as GeoJSON
// Plain Node, no dependencies. BASE_PATH ("" by default) is where the gateway mounts the app.
import { createServer } from "node:http";
import { acceptWebSocket } from "./websocket.mjs";

const base = (process.env.BASE_PATH ?? "").replace(/\/$/, "");
const port = Number(process.env.PORT ?? 8501);
const zones = {
  type: "FeatureCollection",
  features: [
    {
      type: "Feature",
      properties: { country: "BR", hectares: 1250 },
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [-60, -3],
            [-59.9, -3],
            [-59.9, -2.9],
            [-60, -2.9],
            [-60, -3],
          ],
        ],
      },
    },
  ],
};
const page = `<!doctype html><html><head><meta charset="utf-8"><title>ForestGuard</title></head><body>
<h1>ForestGuard</h1><p id="status">connecting…</p>
<script>
const ws = new WebSocket(location.origin.replace(/^http/, "ws") + "${base}/_stcore/stream");
ws.onopen = () => ws.send("hello");
ws.onmessage = (e) => { document.getElementById("status").textContent = "live: " + e.data; };
</script></body></html>`;

const strip = (url) => (base && url.startsWith(base) ? url.slice(base.length) || "/" : url);
const server = createServer((req, res) => {
  const path = strip(new URL(req.url ?? "/", "http://x").pathname);
  if (path === "/healthz") return res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
  if (path === "/api/zones") return res.writeHead(200, { "content-type": "application/geo+json" }).end(JSON.stringify(zones));
  if (path === "/") return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
  res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
});
server.on("upgrade", (req, socket) => {
  if (strip(new URL(req.url ?? "/", "http://x").pathname) !== "/_stcore/stream") return socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
  const ws = acceptWebSocket(req, socket);
  ws?.onMessage((text) => ws.send(text));
});
server.listen(port, process.env.HOST ?? "127.0.0.1", () =>
  console.log(`dashboard on ${port}${base || "/"} (database ${process.env.DATABASE_URL ? "configured" : "missing"})`),
);
// Graceful stop: no new connections, requests in flight get half a second to finish.
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 500).unref();
});
