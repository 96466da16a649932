// A small server for the runtime's tests: health endpoint that can be told to fail, a counter of
// health checks, and switches (by environment) to crash, ignore SIGTERM or leave a grandchild.
import { spawn } from "node:child_process";
import { createServer } from "node:http";

if (process.env.CRASH) {
  process.stderr.write("crashing on purpose\n");
  process.exit(Number(process.env.CRASH));
}
if (process.env.GRANDCHILD) spawn("sleep", ["1000"], { stdio: "ignore" });
if (process.env.IGNORE_TERM) process.on("SIGTERM", () => process.stdout.write("ignoring SIGTERM\n"));
else process.on("SIGTERM", () => process.exit(0));

let failing = false;
let checks = 0;
const server = createServer((req, res) => {
  if (req.url === "/health") {
    checks++;
    res.writeHead(failing ? 500 : 200).end(failing ? "failing" : "ok");
  } else if (req.url === "/fail") {
    failing = true;
    checks = 0;
    res.end("now failing");
  } else if (req.url === "/recover") {
    failing = false;
    checks = 0;
    res.end("recovered");
  } else if (req.url === "/checks") res.end(String(checks));
  else if (req.url === "/via") {
    // Calls the service UPSTREAM names (as `${name.url}`) and answers what it said.
    fetch(`${process.env.UPSTREAM}/`).then(
      async (r) => res.end(`via ${process.env.UPSTREAM}: ${await r.text()}`),
      (e) => res.writeHead(502).end(String(e)),
    );
  } else res.end(`hello from ${process.env.NAME ?? "app"} pid ${process.pid} ${process.env.GREETING ?? ""}`);
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write(`listening on ${process.env.PORT}\n`));
