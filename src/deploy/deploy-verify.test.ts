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
import { sshOf, verifyHost } from "../verify/hosts.js";
import { sshArgs } from "../verify/ssh.js";
import { type DeployReport, verifyDeployed, verifyFailure } from "./deploy.js";
import { SshLink } from "./ssh.js";

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

describe("reaching a host", () => {
  it("deploy's link and verify's runner pass ssh the same options for the same host (port, key, known_hosts, jump)", () => {
    const stack = stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 } }
environments:
  prod: { target: vm, hosts: ["deploy@203.0.113.10:2200"], ssh: { key: keys/id, known_hosts: accept-new, jump: "admin@198.51.100.1" } }
`);
    const [host] = stack.environment.hosts;
    if (!host) throw new Error("no host");
    const env = { CAIRN_KNOWN_HOSTS: "/tmp/known" };
    const settings = sshOf(stack, env);
    const link = new SshLink({ host, ssh: stack.environment.ssh, keyFile: settings.key ?? null, knownHostsFile: env.CAIRN_KNOWN_HOSTS });
    const deploy = (link as unknown as { options(): string[] }).options();
    const verify = sshArgs(verifyHost(stack, host), { ...settings, timeoutMs: 10_000 });
    const pairs = (args: readonly string[]) =>
      args.flatMap((a, i) => (a.startsWith("-") ? [`${a} ${args[i + 1]}`] : [])).filter((p) => !/ControlPath|ServerAlive|LogLevel/.test(p));
    expect(pairs(deploy).sort()).toEqual(pairs(verify).sort());
    expect(pairs(verify)).toEqual(expect.arrayContaining(["-p 2200", `-i ${stack.root}/keys/id`, "-J admin@198.51.100.1", "-o UserKnownHostsFile=/tmp/known"]));
  });
});
