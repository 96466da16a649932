import { describe, expect, it } from "vitest";
import { parseHostAddress } from "../model/resolve-deploy.js";
import { analyzeText, codesOf, stackFrom } from "../test-support/index.js";

const stack = (env: string) => `name: s
services:
  web: { run: x, port: 3000, health: /health }
  api: { run: x, port: 3001, health: /health }
jobs:
  nightly: { run: x, schedule: "0 2 * * *", timeout: 1h }
environments:
  prod:
${env}`;

describe("hosts rule", () => {
  it("accepts hosts, ssh and deploy settings of a vm environment", () => {
    const text = stack(`    target: vm
    hosts: [root@203.0.113.10, "deploy@app.example.org:2222", "ops@[2001:db8::1]:22"]
    ssh: { key: keys/id, known_hosts: accept-new, jump: bastion@198.51.100.1 }
    deploy: { keep: 3, before: [node migrate.mjs, { run: [node, seed.mjs], as: api }], health_timeout: 90s }`);
    expect(codesOf(text)).toEqual([]);
    const { hosts, ssh, deploy } = stackFrom(text, "prod").environment;
    expect(hosts.map((h) => [h.user, h.host, h.port])).toEqual([
      ["root", "203.0.113.10", null],
      ["deploy", "app.example.org", 2222],
      ["ops", "2001:db8::1", 22],
    ]);
    // Jobs run on the first host only unless a host lists them.
    expect(hosts.map((h) => h.jobs)).toEqual([["nightly"], [], []]);
    expect(ssh).toEqual({ key: "keys/id", port: 22, knownHosts: "accept-new", jump: "bastion@198.51.100.1" });
    expect(deploy.keep).toBe(3);
    expect(deploy.healthTimeoutMs).toBe(90_000);
    expect(deploy.before.map((b) => b.as)).toEqual([null, "api"]);
  });

  it("defaults: keep 5, a 60 s health timeout, strict host keys, port 22", () => {
    const env = stackFrom(stack("    target: vm\n    hosts: [root@10.0.0.1]"), "prod").environment;
    expect([env.deploy.keep, env.deploy.healthTimeoutMs, env.ssh.knownHosts, env.ssh.port]).toEqual([5, 60_000, "strict", 22]);
  });

  it("reports an address that is not user@host[:port], at the entry", () => {
    const [d] = analyzeText(stack("    target: vm\n    hosts: [203.0.113.10]")).diagnostics;
    expect([d?.code, d?.line]).toEqual(["host/address", 10]);
    expect(d?.hint).toContain("user@host");
    for (const bad of ["root@", "root@host:0", "root@host:70000", "root@-bad-.example", "root@host;rm -rf /", "root@a b", "$(id)@host", "root@999.1.1.1"])
      expect(parseHostAddress(bad), bad).toBeNull();
  });

  it("reports hosts on an environment that is not a vm", () => {
    expect(codesOf(stack("    target: aws\n    hosts: [root@10.0.0.1]"))).toEqual(["host/target"]);
  });

  it("reports a host running an unknown service, with a suggestion, and a service on no host", () => {
    const text = stack(`    target: vm
    hosts:
      - { address: root@10.0.0.1, services: [wbe] }
      - { address: root@10.0.0.2, services: [api], jobs: [nightly] }`);
    const diagnostics = analyzeText(text).diagnostics;
    expect(diagnostics.map((d) => d.code).sort()).toEqual(["host/unknown-part", "host/unplaced"]);
    expect(diagnostics.find((d) => d.code === "host/unknown-part")?.message).toContain('did you mean "web"?');
  });

  it("places jobs where a host lists them", () => {
    const text = stack(`    target: vm
    hosts:
      - { address: root@10.0.0.1 }
      - { address: root@10.0.0.2, jobs: [nightly] }`);
    expect(stackFrom(text, "prod").environment.hosts.map((h) => h.jobs)).toEqual([[], ["nightly"]]);
  });

  it("reports a before command run as an unknown process", () => {
    expect(codesOf(stack("    target: vm\n    deploy: { before: [{ run: x, as: nobody }] }"))).toEqual(["host/unknown-part"]);
  });

  it("takes the edge's own certificate and key", () => {
    const tls = stackFrom(
      "name: s\nservices:\n  web: { run: x, port: 3000 }\nroutes: [{ path: /, to: web }]\nedge: { tls: { cert: tls/cert.pem, key: tls/key.pem } }\n",
    ).edge.tls;
    expect(tls).toEqual({ mode: "certificate", certificate: "tls/cert.pem", key: "tls/key.pem" });
  });
});
