/**
 * Cairn's gateway alone in its own process, for bench/gateway.ts: routing (several routes, host
 * and path), health checks and a per-client rate limit on, an access log written, and telemetry on
 * as the console runs it: every request counted and traced (W3C traceparent), and once a second the
 * console's reads (a request summary, the last requests) and a Prometheus scrape. Prints its port
 * once the replica is healthy.
 *
 *   node --import tsx bench/gateway-server.ts UPSTREAM_PORT ACCESS_LOG [log,limit,telemetry]   (features to turn off)
 */
import { analyze } from "../src/load/analyze.js";
import { createGateway } from "../src/runtime/gateway/index.js";
import { createMetricsRegistry, metricsText, readRequests, summarize, Telemetry } from "../src/runtime/telemetry/index.js";

const [upstream = "0", accessLog, off = ""] = process.argv.slice(2);
const text = `
name: bench
domain: bench.example.com
services:
  api: { run: x, port: 1, health: { path: /health, interval: 1s, timeout: 500ms, healthy: 2, unhealthy: 3 } }
  users: { run: x, port: 2, health: { path: /health, interval: 1s } }
  admin: { run: x, port: 3, sticky: 1h }
routes:
  - { host: "admin.{domain}", to: admin }
  - { path: /api/users, to: users, strip: true }
  - { path: /api/search, to: users }
  - { path: /api, to: api }
  - { path: /, to: admin }
edge: { port: 8000${off.includes("limit") ? "" : ", rate_limit: 10000000/min"} }
`;
const analysis = analyze("/bench/cairn.yaml", text, {});
const stack = analysis.stacks.values().next().value;
if (!stack) throw new Error(analysis.diagnostics.map((d) => d.message).join("\n"));
const telemetry = off.includes("telemetry") ? undefined : new Telemetry();
const gateway = createGateway({ stack, port: 0, accessLog: off.includes("log") ? undefined : accessLog, telemetry });
if (telemetry) {
  const registry = createMetricsRegistry({ telemetry });
  let older = readRequests(telemetry);
  setInterval(() => {
    const newer = readRequests(telemetry);
    summarize(newer, older);
    older = newer;
    telemetry.ring.latest(100);
    void metricsText(registry);
  }, 1000).unref();
}
const { port } = await gateway.start();
const target = { id: "api-1", host: "127.0.0.1", port: Number(upstream) };
gateway.setTargets("api", [target]);
gateway.setTargets("users", [{ ...target, id: "users-1" }]);
await gateway.waitHealthy("api", "api-1", 10_000);
process.stdout.write(`${port}\n`);
process.on("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
