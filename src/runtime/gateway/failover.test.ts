import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { createGateway } from "./gateway.js";
import { load, request, spawnReplica, until } from "./testing.js";
import type { HealthChange } from "./types.js";

const children: ChildProcess[] = [];
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

const INTERVAL = 50;
const TIMEOUT = 250;
const UNHEALTHY = 2;
const stackText = (extraRoute = "") => `
name: shop
services:
  api: { run: node api.js, port: 8001, health: { path: /health, interval: ${INTERVAL}ms, timeout: ${TIMEOUT}ms, healthy: 2, unhealthy: ${UNHEALTHY} } }
routes:
  - { path: /api, to: api }
${extraRoute}
`;

async function replica(name: string, delayMs = 0) {
  const started = await spawnReplica(name, delayMs);
  children.push(started.child);
  return started;
}

async function gatewayFor(text: string) {
  const changes: HealthChange[] = [];
  const gateway = createGateway({ stack: stackFrom(text), port: 0, onHealthChange: (c) => changes.push(c) });
  const { port } = await gateway.start();
  cleanup.push(() => gateway.close());
  return { gateway, port, changes };
}

describe("gateway under failure", () => {
  it("a replica SIGKILLed under load: no GET fails, and it is unhealthy after exactly the threshold of failed checks", async () => {
    const { gateway, port, changes } = await gatewayFor(stackText());
    const replicas = await Promise.all(["a", "b", "c"].map((n) => replica(n, 2)));
    gateway.setTargets(
      "api",
      replicas.map((r, i) => ({ id: `api-${i + 1}`, host: "127.0.0.1", port: r.port })),
    );
    await Promise.all([1, 2, 3].map((i) => gateway.waitHealthy("api", `api-${i}`, 3_000)));
    const traffic = load(port, "/api/x", 16);
    await traffic.served(100);
    const victim = replicas[1] as (typeof replicas)[number];
    const checksAtKill = gateway.status()[0]?.targets.find((t) => t.id === "api-2")?.checks ?? 0;
    victim.child.kill("SIGKILL");
    await until(() => changes.some((c) => c.target === "api-2" && !c.healthy), 5_000, "api-2 to turn unhealthy");
    await traffic.served(200);
    const result = await traffic.stop();

    expect(result.failed).toEqual([]);
    expect(result.ok).toBeGreaterThan(50);
    expect(result.byBody.get("a")).toBeGreaterThan(0);
    expect(result.byBody.get("c")).toBeGreaterThan(0);

    const down = changes.find((c) => c.target === "api-2" && !c.healthy);
    expect(down?.error).toMatch(/connection (refused|reset)/);
    // The flip comes at the UNHEALTHY-th failed check after the kill (one more when a check was under way
    // at the kill and passed).
    expect((down?.checks ?? 0) - checksAtKill).toBeGreaterThanOrEqual(UNHEALTHY);
    expect((down?.checks ?? 0) - checksAtKill).toBeLessThanOrEqual(UNHEALTHY + 1);
    const api2 = gateway.status()[0]?.targets.find((t) => t.id === "api-2");
    expect(api2).toMatchObject({ healthy: false });
  });

  it("replaces every replica of a service under load with zero failed requests (add new, wait healthy, remove old)", async () => {
    const { gateway, port, changes } = await gatewayFor(stackText());
    const old = await Promise.all(["old1", "old2"].map((n) => replica(n, 5)));
    gateway.setTargets("api", [
      { id: "api-1", host: "127.0.0.1", port: old[0]?.port ?? 0 },
      { id: "api-2", host: "127.0.0.1", port: old[1]?.port ?? 0 },
    ]);
    await gateway.waitHealthy("api", "api-1", 3_000);
    await gateway.waitHealthy("api", "api-2", 3_000);
    const traffic = load(port, "/api/x", 12);
    await traffic.served(100);

    // The stack file changed: a new route appears while the service's replicas roll.
    gateway.reload(stackFrom(stackText("  - { path: /v2, to: api }")));
    const fresh = await Promise.all(["new1", "new2"].map((n) => replica(n, 5)));
    const next = fresh.map((r, i) => ({ id: `api-${i + 3}`, host: "127.0.0.1", port: r.port }));
    gateway.setTargets("api", [...(gateway.status()[0]?.targets ?? []).map(({ id, host, port }) => ({ id, host, port })), ...next]);
    for (const t of next) await gateway.waitHealthy("api", t.id, 3_000);
    gateway.setTargets("api", next);
    // Out of the gateway, the old replicas stop gracefully (finishing what they hold), as the supervisor does.
    await until(() => (gateway.status()[0]?.targets ?? []).every((t) => t.id === "api-3" || t.id === "api-4"), 5_000, "the old replicas to leave");
    for (const o of old) o.child.kill("SIGTERM");
    await Promise.all(old.map((o) => new Promise((r) => (o.child.exitCode !== null ? r(null) : o.child.once("exit", r)))));
    await traffic.served(100);
    const result = await traffic.stop();

    expect(result.failed).toEqual([]);
    expect(result.byBody.get("old1")).toBeGreaterThan(0);
    expect(result.byBody.get("new1")).toBeGreaterThan(0);
    expect(result.byBody.get("new2")).toBeGreaterThan(0);
    expect((await request(port, "/v2")).body).toMatch(/^new\d \/v2$/);
    expect(gateway.status()[0]?.targets.map((t) => t.id)).toEqual(["api-3", "api-4"]);
    // Under load a check may time out; a target still needs two consecutive passes.
    expect(changes.filter((c) => c.healthy).every((c) => c.checks >= 2)).toBe(true);
  });
});
