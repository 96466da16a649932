import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { createTestHost } from "../../verify/test-support/netns.js";
import { allowList } from "./allow.js";
import { createGateway } from "./gateway.js";
import { startUpstream } from "./testing.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe("edge.allow", () => {
  it("admits the listed blocks and this machine, and no one else", () => {
    const list = allowList(["203.0.113.0/24", "198.51.100.7", "2001:db8::/32"]);
    expect(list).not.toBeNull();
    const verdict = (a: string) => list?.allows(a);
    expect(["203.0.113.9", "198.51.100.7", "::ffff:203.0.113.200", "2001:db8::1", "127.0.0.1", "127.8.0.1", "::1"].map(verdict)).toEqual(Array(7).fill(true));
    expect(["203.0.114.1", "198.51.100.8", "::ffff:10.0.0.1", "2001:db9::1", "10.0.0.1", "fd00::2"].map(verdict)).toEqual(Array(6).fill(false));
  });

  it("is no list at all when nothing is listed or anywhere is", () => {
    expect(allowList([])).toBeNull();
    expect(allowList(["10.0.0.0/8", "0.0.0.0/0"])).toBeNull();
    expect(allowList(["::/0"])).toBeNull();
  });

  it("answers 403 to a client outside the list, naming its address, and serves loopback", async () => {
    // The client outside sits in a network namespace of the test's own, on a link to this machine.
    const host = await createTestHost();
    cleanup.push(() => host.close());
    const upstream = await startUpstream("api");
    cleanup.push(() => upstream.close());
    const gateway = createGateway({
      stack: stackFrom("name: s\nservices:\n  api: { run: x, port: 1, health: { path: /h, interval: 50ms, healthy: 1 } }\nedge: { allow: [203.0.113.0/24] }\n"),
      port: 0,
      host: "0.0.0.0",
    });
    const { port } = await gateway.start();
    cleanup.push(() => gateway.close());
    gateway.setTargets("api", [{ id: "api-1", host: "127.0.0.1", port: upstream.port }]);
    await gateway.waitHealthy("api", "api-1", 2_000);
    const script = `fetch("http://${host.gateway}:${port}/x", { headers: { accept: "application/json" } }).then(async (r) => console.log(JSON.stringify({ status: r.status, body: await r.text() })))`;
    const child = host.start(process.execPath, ["-e", script]);
    let out = "";
    child.stdout?.on("data", (c) => (out += c));
    await new Promise((done) => child.once("exit", done));
    const outside = JSON.parse(out) as { status: number; body: string };
    expect(outside.status).toBe(403);
    expect(JSON.parse(outside.body).reason).toBe(`${host.address} is not in edge.allow (203.0.113.0/24)`);
    expect(upstream.seen).toHaveLength(upstream.seen.filter((s) => s.url === "/h").length);
    const local = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      http
        .get({ host: "127.0.0.1", port, path: "/x", agent: false }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        })
        .on("error", reject);
    });
    expect(local).toEqual({ status: 200, body: "api /x" });
  });
});
