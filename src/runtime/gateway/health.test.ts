import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { createGateway } from "./gateway.js";
import { startUpstream, until } from "./testing.js";
import type { HealthChange } from "./types.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function gatewayWith(text: string) {
  const changes: HealthChange[] = [];
  const gateway = createGateway({ stack: stackFrom(text), port: 0, onHealthChange: (c) => changes.push(c) });
  await gateway.start();
  cleanup.push(() => gateway.close());
  return { gateway, changes };
}

describe("active health checks", () => {
  it("take exactly `healthy` passes to turn healthy and exactly `unhealthy` failures to turn unhealthy", async () => {
    const { gateway, changes } = await gatewayWith(`
name: s
services:
  api: { run: x, port: 1, health: { path: /health, interval: 50ms, timeout: 1s, healthy: 3, unhealthy: 4, status: 200-204 } }
`);
    let status = 204;
    const answers: number[] = [];
    const server = await startUpstream("api", (_req, res) => {
      answers.push(status);
      res.writeHead(status);
      res.end();
    });
    cleanup.push(() => server.close());
    gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port: server.port }]);
    await until(() => changes.length === 1, 3_000, "healthy");
    expect(changes[0]).toMatchObject({ service: "api", target: "api-1", healthy: true, checks: 3, error: null });
    expect(answers).toEqual([204, 204, 204]);

    status = 205; // outside 200-204
    const before = answers.length;
    await until(() => changes.length === 2, 3_000, "unhealthy");
    expect(changes[1]).toMatchObject({ healthy: false, error: "GET /health answered 205 (expected 200-204)" });
    expect(answers.slice(before)).toEqual([205, 205, 205, 205]);
    expect(gateway.status()[0]?.targets[0]).toMatchObject({ healthy: false, lastError: "GET /health answered 205 (expected 200-204)" });

    status = 200;
    const again = answers.length;
    await until(() => changes.length === 3, 3_000, "healthy again");
    expect(answers.slice(again)).toEqual([200, 200, 200]);
  });

  it("checks a new replica quickly until its first healthy, then at the service's interval", async () => {
    const { gateway, changes } = await gatewayWith(`
name: s
services:
  dash: { run: x, port: 1, health: { path: /healthz, interval: 30s, timeout: 5s, healthy: 2, unhealthy: 3 } }
`);
    let hits = 0;
    const server = await startUpstream("dash", (_req, res) => {
      hits++;
      res.end("ok");
    });
    cleanup.push(() => server.close());
    // A second replica that never passes keeps being checked at the start-up pace: the healthy one's
    // next check is 30 s away, so it sees none while the other sees several.
    const failing = await startUpstream("dash", (_req, res) => res.writeHead(500).end("no"));
    cleanup.push(() => failing.close());
    gateway.setTargets("dash", [{ id: "dash-1", host: "127.0.0.1", port: server.port }]);
    // Healthy well before one 30 s interval: the first checks came at the start-up pace.
    await gateway.waitHealthy("dash", "dash-1", 3_000);
    expect(changes[0]).toMatchObject({ healthy: true, checks: 2 });
    gateway.setTargets("dash", [
      { id: "dash-1", host: "127.0.0.1", port: server.port },
      { id: "dash-2", host: "127.0.0.1", port: failing.port },
    ]);
    const checksOf = (id: string) => gateway.status()[0]?.targets.find((t) => t.id === id)?.checks ?? 0;
    await until(() => checksOf("dash-2") >= 4, 5_000, "four checks of the failing replica");
    expect(checksOf("dash-1")).toBe(2);
    expect(hits).toBe(2);
  });

  it("counts a check that does not answer within its timeout as failed", async () => {
    const { gateway, changes } = await gatewayWith(`
name: s
services:
  api: { run: x, port: 1, health: { path: /health, interval: 60ms, timeout: 30ms, healthy: 1, unhealthy: 1 } }
`);
    let stall = false;
    const server = await startUpstream("api", (_req, res) => {
      if (!stall) res.end("ok");
    });
    cleanup.push(() => server.close());
    gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port: server.port }]);
    await gateway.waitHealthy("api", "api-1", 2_000);
    stall = true;
    await until(() => changes.length === 2, 2_000, "unhealthy");
    expect(changes[1]?.error).toBe("GET /health: no answer within 30 ms");
  });

  it("checks a service with no health check by TCP connect: healthy at once if it accepts", async () => {
    const { gateway, changes } = await gatewayWith("name: s\nservices:\n  raw: { run: x, port: 1 }\n");
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as net.AddressInfo).port;
    gateway.setTargets("raw", [{ id: "raw-1", host: "127.0.0.1", port }]);
    await until(() => changes.length === 1, 2_000, "healthy");
    expect(changes[0]).toMatchObject({ healthy: true, checks: 1 });
  });

  it("rejects waitHealthy with the last error when the target never passes, and setTargets for an unknown service", async () => {
    const { gateway } = await gatewayWith("name: s\nservices:\n  api: { run: x, port: 1, health: { path: /h, interval: 20ms, timeout: 20ms } }\n");
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port }]);
    await expect(gateway.waitHealthy("api", "api-1", 200)).rejects.toThrow(
      `replica api-1 of "api" not healthy within 200 ms: connection refused (127.0.0.1:${port})`,
    );
    expect(() => gateway.setTargets("nope", [])).toThrow('service "nope" has no port in the stack');
  });
});
