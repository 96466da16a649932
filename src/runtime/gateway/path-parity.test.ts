/**
 * The local gateway and the generated nginx choose the same upstream for the same path: every path of
 * fixtures/paths.txt goes through the real nginx (started here on 127.0.0.1 with the site
 * `renderNginx` generates) and through the real gateway, in front of the same upstreams.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderNginx } from "../../targets/common/nginx.js";
import { mainConfig } from "../../targets/common/test-tools.js";
import { stackFrom } from "../../test-support/index.js";
import { waitFor } from "../../test-support/wait.js";
import { freePort } from "../ports.js";
import { sendRaw } from "../resources/testing/raw-http.js";
import { createGateway } from "./gateway.js";
import { normalTarget } from "./request-path.js";
import { startUpstream, type Upstream } from "./testing.js";
import type { Gateway } from "./types.js";

const corpus = readFileSync(join(import.meta.dirname, "fixtures", "paths.txt"), "utf8")
  .split("\n")
  .filter((line) => line.startsWith("/"));
const names = ["api", "admin", "files", "web"] as const;

/** Which upstream answered (its name), or the status of an answer no upstream gave. */
async function outcome(port: number, path: string): Promise<string> {
  const answer = await sendRaw(port, Buffer.from(`GET ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n`, "utf8"), 5_000);
  const body = answer.text.slice(answer.text.indexOf("\r\n\r\n") + 4);
  // The upstream's answer is `upstream <name> <path>` (chunked through nginx).
  const name = /(?:^|\n)upstream (\w+) /.exec(body)?.[1];
  return answer.status === 200 && name ? name : `status ${answer.status}`;
}

describe("one path corpus, the same upstream locally and in nginx", () => {
  const upstreams = new Map<string, Upstream>();
  let gateway: Gateway;
  let gatewayPort = 0;
  let nginxPort = 0;
  let nginx: ChildProcess | null = null;
  let prefix = "";

  beforeAll(async () => {
    for (const name of names) upstreams.set(name, await startUpstream(`upstream ${name}`));
    nginxPort = await freePort();
    const stack = stackFrom(`
name: parity
services:
${names.map((n) => `  ${n}: { run: node ${n}.js, port: ${upstreams.get(n)?.port} }`).join("\n")}
routes:
  - { path: /api, to: api }
  - { path: /api/admin, to: admin, strip: true }
  - { path: /files, to: files }
  - { path: /, to: web }
edge: { port: ${nginxPort} }
`);
    prefix = await mkdtemp(join(tmpdir(), "cairn-parity-nginx-"));
    const site = renderNginx(stack, {
      servers: (service) => [`127.0.0.1:${upstreams.get(service.name)?.port}`],
      staticRoot: () => prefix,
      logDir: join(prefix, "logs"),
      certDir: prefix,
      acmeRoot: prefix,
    });
    nginx = spawn("nginx", ["-c", mainConfig(prefix, site.content), "-p", prefix], { stdio: ["ignore", "ignore", "inherit"] });
    gateway = createGateway({ stack, port: 0 });
    gatewayPort = (await gateway.start()).port;
    for (const name of names) gateway.setTargets(name, [{ id: `${name}.1`, host: "127.0.0.1", port: upstreams.get(name)?.port ?? 0 }]);
    for (const name of names) await gateway.waitHealthy(name, `${name}.1`, 5_000);
    await waitFor(async () => (await outcome(nginxPort, "/")) === "web", 10_000, "nginx to answer");
  }, 30_000);

  afterAll(async () => {
    nginx?.kill("SIGTERM");
    await gateway?.close();
    for (const upstream of upstreams.values()) await upstream.close();
    if (prefix) await rm(prefix, { recursive: true, force: true });
  });

  it("routes every path of the corpus to the upstream nginx routes it to (or refuses it alike)", async () => {
    expect(corpus.length).toBeGreaterThan(50);
    const differences: string[] = [];
    const seen = new Set<string>();
    for (const path of corpus) {
      const [viaNginx, viaGateway] = [await outcome(nginxPort, path), await outcome(gatewayPort, path)];
      seen.add(viaNginx);
      if (viaNginx !== viaGateway) differences.push(`${path}: nginx ${viaNginx}, gateway ${viaGateway}`);
    }
    expect(differences).toEqual([]);
    // The corpus reaches every upstream and a refusal: the comparison is not of one answer everywhere.
    expect([...seen].sort()).toEqual(expect.arrayContaining(["admin", "api", "files", "status 400", "web"]));
  }, 60_000);

  it("normalises as nginx does, and keeps an ordinary target as the same string (pure)", () => {
    const plain = "/api/orders?x=1";
    expect(normalTarget(plain)).toBe(plain);
    expect(normalTarget("/api/../admin?q=/..")).toBe("/admin?q=/..");
    expect(normalTarget("//api/%2e%2e/files/")).toBe("/files/");
    expect(normalTarget("/api%2Fx%20y")).toBe("/api/x%20y");
    expect(normalTarget("/..")).toBeNull();
    expect(normalTarget("/%zz")).toBeNull();
    expect(normalTarget("/a%00")).toBeNull();
  });
});
