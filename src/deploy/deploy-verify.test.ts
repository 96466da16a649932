/**
 * `cairn deploy` ends with `cairn verify` on the hosts it deployed: the same checks (routes at each
 * host's own address, its ports, its units over SSH), and a failing one makes the deploy fail
 * without rolling back. A real HTTP server on 127.0.0.1 stands as the host's edge; nothing answers
 * SSH there, so the SSH check fails with ssh's own words.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXED_NOW, stackFrom } from "../test-support/index.js";
import { type DeployReport, verifyDeployed, verifyFailure } from "./deploy.js";

let edge: Server;
let closedPort = 0;

const listen = (server: Server) => new Promise<number>((done) => server.listen(0, "127.0.0.1", () => done((server.address() as AddressInfo).port)));

beforeAll(async () => {
  edge = createServer((_req, res) => res.end("ok"));
  await listen(edge);
  const gone = createServer();
  closedPort = await listen(gone);
  await new Promise((done) => gone.close(done));
});

afterAll(() => new Promise((done) => edge.close(done)));

function shop() {
  const port = (edge.address() as AddressInfo).port;
  return stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 4100 } }
routes: [{ path: /, to: web }]
edge: { port: ${port}, tls: false }
environments:
  prod: { target: vm, domain: shop.example.org, hosts: [root@127.0.0.1:${closedPort}], ssh: { known_hosts: accept-new } }
`);
}

describe("the check a deploy ends with", () => {
  it("is cairn verify of the deployed hosts, at their own addresses with the domain in Host", async () => {
    const stack = shop();
    const report = await verifyDeployed(stack, stack.environment.hosts, { env: { CAIRN_KNOWN_HOSTS: "/dev/null" }, now: () => FIXED_NOW });
    const port = (edge.address() as AddressInfo).port;
    expect(report.address).toBe(`http://127.0.0.1:${port}`);
    const byKind = (kind: string) => report.checks.filter((c) => c.kind === kind);
    expect(byKind("route").map((c) => [c.status, c.target])).toEqual([["pass", `http://shop.example.org:${port}/`]]);
    expect(byKind("ports").map((c) => c.target)).toEqual(["127.0.0.1"]);
    expect(byKind("ssh")).toEqual([expect.objectContaining({ status: "fail", target: "root@127.0.0.1" })]);
    expect(report.ok).toBe(false);

    const deployed: DeployReport = {
      release: "20261206-181500",
      environment: "prod",
      hosts: [],
      skipped: [],
      verify: report,
      notes: [],
      files: 1,
      packages: [],
      totalMs: 1,
      dryRun: false,
    };
    const failure = verifyFailure(deployed);
    expect(failure?.message).toMatch(/^release 20261206-181500 is live, and cairn verify failed \d+ checks?:/);
    expect(failure?.message).toContain("ssh root@127.0.0.1");
    expect(failure?.hint).toContain("cairn rollback");
    expect(verifyFailure({ ...deployed, verify: { ...report, ok: true } })).toBeNull();
    expect(verifyFailure({ ...deployed, verify: null })).toBeNull();
  }, 30_000);
});
