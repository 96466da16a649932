/** verify's hosts are the model's: the same typed `hosts:` and `ssh:` that `cairn deploy` connects with. */
import { describe, expect, it } from "vitest";
import type { Stack } from "../model/types.js";
import { exampleStack, stackFrom } from "../test-support/index.js";
import { deployHostOf, hostsOf, sshOf } from "./hosts.js";

describe("hosts", () => {
  it("reads the model's hosts and ssh settings: a host's own port, else ssh.port; the key from the stack's folder", async () => {
    const stack = await exampleStack("cityflow", "mvp");
    const environment = {
      ...stack.environment,
      hosts: [
        { source: "deploy@[2001:db8::1]", user: "deploy", host: "2001:db8::1", port: null, services: [], jobs: [] },
        { source: "admin@203.0.113.10:2200", user: "admin", host: "203.0.113.10", port: 2200, services: [], jobs: [] },
      ],
      ssh: { key: "keys/id_ed25519", port: 2222, knownHosts: "accept-new", jump: null },
    };
    const withModel = { ...stack, environment } as unknown as Stack;
    expect(hostsOf(withModel)).toEqual([
      { source: "deploy@[2001:db8::1]", user: "deploy", host: "2001:db8::1", port: 2222 },
      { source: "admin@203.0.113.10:2200", user: "admin", host: "203.0.113.10", port: 2200 },
    ]);
    expect(sshOf(withModel)).toEqual({ key: `${stack.root}/keys/id_ed25519`, knownHosts: "accept-new" });
    expect(sshOf(withModel, { CAIRN_KNOWN_HOSTS: "/tmp/kh" })).toMatchObject({ knownHostsFile: "/tmp/kh" });
    expect(sshOf(stack)).toEqual({});
  });

  it("reads hosts as the deploy does, with what each runs; a host the file does not name stands for none", () => {
    const stack = stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000 }, worker: { run: node worker.mjs } }
environments:
  mvp:
    target: vm
    ssh: { port: 2200 }
    hosts: [admin@203.0.113.10, { address: "deploy@203.0.113.11:2222", services: [worker] }]
`);
    const hosts = hostsOf(stack);
    expect(hosts).toEqual([
      { source: "admin@203.0.113.10", user: "admin", host: "203.0.113.10", port: 2200 },
      { source: "deploy@203.0.113.11:2222", user: "deploy", host: "203.0.113.11", port: 2222 },
    ]);
    expect(hosts.map((h) => deployHostOf(stack, h)?.services)).toEqual([["web", "worker"], ["worker"]]);
    expect(deployHostOf(stack, { source: "x", user: "root", host: "198.51.100.1", port: 22 })).toBeNull();
    expect(hostsOf(stackFrom("name: shop\nservices: { web: { run: node web.mjs } }\n"))).toEqual([]);
  });
});
