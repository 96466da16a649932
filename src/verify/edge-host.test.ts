/**
 * verify against real servers on a host of the test's own (a network namespace): nginx running the
 * vm target's edge with certificates made by openssl (valid, expired, for another name), an app with
 * a WebSocket endpoint behind it, and sshd. Nothing leaves the machine.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verify } from "../cli/commands/verify.js";
import { captureContext, stackFrom } from "../test-support/index.js";
import { probePort } from "./probe-ports.js";
import { type Certificate, makeCa, makeServerCertificate } from "./test-support/certs.js";
import { createTestHost, type TestHost, waitForPort } from "./test-support/netns.js";
import { type EdgeServer, type SshServer, startApp, startEdge, startSsh } from "./test-support/servers.js";
import type { CheckKind, VerifyReport } from "./types.js";
import { type VerifyOptions, verifyStack } from "./verify.js";

const DAY = 86_400_000;
const FILE = `
name: shop
services:
  web: { run: node server.mjs, port: 3000, health: /health, websockets: /live }
jobs:
  nightly: { run: "true", schedule: "daily at 02:00" }
routes:
  - { host: "{domain}", to: web }
edge:
  port: 443
  tls: auto
  rate_limit: 120/min
  open:
    - { port: 22, description: admin SSH, from: 198.51.100.7/32 }
environments:
  live: { target: vm, domain: shop.test, instance: t3.small }
`;
const stack = stackFrom(FILE);

let dir: string;
let host: TestHost;
let app: Awaited<ReturnType<typeof startApp>>;
let edge: EdgeServer;
let ssh: SshServer;
let ca: Certificate;
let valid: Certificate;
let expired: Certificate;
let otherName: Certificate;
let validTo: Date;

function options(extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    url: `https://${host.address}`,
    hosts: [{ source: `root@${host.address}`, user: "root", host: host.address, port: ssh.port }],
    ssh: { key: ssh.key, knownHostsFile: ssh.knownHosts },
    ca: ca.pem,
    ...extra,
  };
}

const of = (report: VerifyReport, kind: CheckKind) => report.checks.filter((c) => c.kind === kind);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cairn-verify-"));
  host = await createTestHost();
  app = await startApp(host.gateway);
  ca = makeCa(join(dir, "ca"));
  const now = Date.now();
  validTo = new Date(Math.floor((now + 90 * DAY) / 1000) * 1000);
  valid = makeServerCertificate(join(dir, "certs"), ca, "shop.test", new Date(now - DAY), validTo, "valid");
  expired = makeServerCertificate(join(dir, "certs"), ca, "shop.test", new Date(now - 60 * DAY), new Date(now - 5 * DAY), "expired");
  otherName = makeServerCertificate(join(dir, "certs"), ca, "elsewhere.test", new Date(now - DAY), validTo, "other");
  edge = await startEdge(host, stack, join(dir, "nginx"), `${host.gateway}:${app.port}`, valid);
  ssh = await startSsh(host, join(dir, "ssh"));
}, 60_000);

afterAll(async () => {
  await host?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("cairn verify against a real edge", { timeout: 60_000 }, () => {
  it("passes routes, health, the WebSocket, TLS, the redirect and the ports; reads the host's disk over SSH", async () => {
    const report = await verifyStack(stack, options());
    const byKind = (k: CheckKind) => of(report, k).map((c) => `${c.status} ${c.detail}`);
    expect(byKind("route")).toEqual([expect.stringMatching(/^pass 200 in \d+ ms$/)]);
    expect(byKind("health")).toEqual([expect.stringMatching(/^pass 200 in \d+ ms$/)]);
    expect(of(report, "health")[0]?.target).toBe("https://shop.test/health");
    expect(byKind("websocket")).toEqual([expect.stringMatching(/^pass 101 upgraded/)]);
    expect(byKind("tls")).toEqual([expect.stringMatching(/^pass valid, (89|90) days to expiry/)]);
    expect(byKind("redirect")).toEqual(["pass 301 to https://shop.test/"]);
    expect(byKind("ports")).toEqual([expect.stringMatching(/^pass open 80, 443; 22 open here \(from 198\.51\.100\.7\/32\); \d+ others closed$/)]);
    expect(byKind("disk")[0]).toMatch(/^pass [\d.]+ GB free of [\d.]+ GB/);
    // The namespace shares this machine's processes, whose PID 1 is no systemd with the stack's units.
    expect(of(report, "unit").every((c) => c.status === "fail")).toBe(true);
    expect(report.ok).toBe(false);
  });

  it("warns when fewer than 20 days are left, by the injected clock", async () => {
    const report = await verifyStack(stack, options({ now: () => new Date(validTo.getTime() - 10 * DAY - 3_600_000), hosts: [] }));
    expect(of(report, "tls").map((c) => [c.status, c.detail])).toEqual([["warn", expect.stringMatching(/^expires in 10 days \(\d{4}-\d\d-\d\d\): renew it/)]]);
  });

  it("fails a certificate no trusted CA signed", async () => {
    const report = await verifyStack(stack, options({ ca: undefined, hosts: [] }));
    expect(of(report, "tls").map((c) => [c.status, c.detail])).toEqual([["fail", "not trusted: UNABLE_TO_VERIFY_LEAF_SIGNATURE"]]);
    // The routes are still checked behind it.
    expect(of(report, "route")[0]?.status).toBe("pass");
  });

  it("fails an expired certificate and one for another name", async () => {
    await edge.serve(expired);
    const old = await verifyStack(stack, options({ hosts: [] }));
    expect(of(old, "tls").map((c) => [c.status, c.detail])).toEqual([["fail", expect.stringMatching(/^expired on \d{4}-\d\d-\d\d \(5 days ago\)$/)]]);
    await edge.serve(otherName);
    const wrong = await verifyStack(stack, options({ hosts: [] }));
    expect(of(wrong, "tls").map((c) => [c.status, c.detail])).toEqual([["fail", "not valid for shop.test (it names elsewhere.test)"]]);
    await edge.serve(valid);
  });

  it("fails a port the file does not open", async () => {
    const listener = host.start(process.execPath, ["-e", `require("node:net").createServer().listen(6379, ${JSON.stringify(host.address)})`]);
    try {
      await waitForPort(host.address, 6379);
      const report = await verifyStack(stack, options());
      expect(of(report, "ports").map((c) => [c.status, c.detail.split(";")[0]])).toEqual([["fail", "open but not declared: 6379"]]);
    } finally {
      listener.kill();
    }
  });

  it("counts a port a firewall drops as closed", async () => {
    const nft = (rules: string) => execFileSync("ip", ["netns", "exec", host.ns, "nft", "-f", "-"], { input: rules });
    nft("table inet verifytest {\n chain input { type filter hook input priority 0; tcp dport 5432 drop; }\n}\n");
    try {
      expect(await probePort(host.address, 5432, 300)).toBe("filtered");
      const report = await verifyStack(stack, options({ portTimeoutMs: 300 }));
      expect(of(report, "ports").map((c) => c.status)).toEqual(["pass"]);
    } finally {
      nft("delete table inet verifytest\n");
    }
  });

  it("reports ssh's own words when the host key changed", async () => {
    const report = await verifyStack(stack, options({ ssh: { key: ssh.key, knownHostsFile: ssh.wrongKnownHosts } }));
    expect(of(report, "ssh").map((c) => [c.status, c.target])).toEqual([["fail", `root@${host.address}`]]);
    expect(of(report, "ssh")[0]?.detail).toMatch(/host key/i);
    expect(of(report, "disk")).toEqual([]);
  });

  it("cairn verify --env live --url ... prints aligned lines within 100 columns and exits 0", async () => {
    writeFileSync(join(dir, "cairn.yaml"), FILE);
    writeFileSync(join(dir, "ca.pem"), ca.pem);
    const context = captureContext(dir, {}, new Date());
    const code = await verify(".", { env: "live", url: `https://${host.address}`, ca: "ca.pem" }, context);
    const lines = context.out().trimEnd().split("\n");
    expect(context.err()).toBe("");
    expect(code).toBe(0);
    expect(lines[0]).toBe(`shop (live) at https://${host.address}`);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines.find((l) => l.includes(" tls "))).toMatch(/^ {2}ok {4}tls {2,}https:\/\/shop\.test {2,}valid, \d+ days to expiry/);
    expect(lines.at(-1)).toMatch(/^5 checks: 5 passed, 2 skipped in \d+\.\d s$/);
  });
  it("with --probe-limits, finds the 429 of the rate limit within a bounded number of requests", async () => {
    const report = await verifyStack(stack, options({ probeLimits: true, hosts: [] }));
    const [check] = of(report, "rate-limit");
    expect(check?.status).toBe("pass");
    const sent = Number(/^429 after (\d+) requests/.exec(check?.detail ?? "")?.[1]);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(140);
  });
});
