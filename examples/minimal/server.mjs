// The smallest web service: answers on $PORT, with a health endpoint. Plain Node, no dependencies.
import { createServer } from "node:http";

const port = Number(process.env.PORT ?? 3000);
const server = createServer((req, res) => {
  if (req.url === "/health") return res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
  res.writeHead(200, { "content-type": "text/plain" }).end(`hello from ${process.env.CAIRN_STACK ?? "hello"} (pid ${process.pid})\n`);
});
server.listen(port, process.env.HOST ?? "127.0.0.1", () => console.log(`listening on ${port}`));
// Graceful stop: no new connections, requests in flight get half a second to finish.
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 500).unref();
});
