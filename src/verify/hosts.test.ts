/** Reading `user@host[:port]`: what is a host, what is not, and no input that throws. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Stack } from "../model/types.js";
import { exampleStack } from "../test-support/index.js";
import { hostsOf, parseHost, sshOf } from "./hosts.js";

describe("hosts", () => {
  it("reads user, host and port, with root and 22 by default", () => {
    expect(parseHost("admin@203.0.113.10:2222")).toEqual({ user: "admin", host: "203.0.113.10", port: 2222 });
    expect(parseHost("ec2.example.org")).toEqual({ user: "root", host: "ec2.example.org", port: 22 });
    expect(parseHost("deploy@[2001:db8::1]:22")).toEqual({ user: "deploy", host: "2001:db8::1", port: 22 });
  });

  it("refuses what ssh could read as an option or a second argument", () => {
    for (const text of ["-oProxyCommand=x", "root@-oProxyCommand=x", "a b", "root@host:0", "root@host:70000", "root@host;id", "", "@host"])
      expect(parseHost(text)).toBeNull();
  });

  it("never throws, and what it accepts starts with neither a dash nor a space", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const host = parseHost(text);
        if (host) {
          expect(host.host).not.toMatch(/^[-\s]/);
          expect(host.user).not.toMatch(/^[-\s]/);
          expect(host.port).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

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
      { user: "deploy", host: "2001:db8::1", port: 2222 },
      { user: "admin", host: "203.0.113.10", port: 2200 },
    ]);
    expect(sshOf(withModel)).toEqual({ key: `${stack.root}/keys/id_ed25519`, knownHosts: "accept-new" });
    expect(sshOf(stack)).toEqual({});
  });

  it("reads the environment's hosts: strings or maps; none when the file names none", async () => {
    const stack = await exampleStack("cityflow", "mvp");
    expect(hostsOf(stack)).toEqual([]);
    const withHosts = {
      ...stack,
      environment: { ...stack.environment, hosts: ["admin@203.0.113.10", { host: "203.0.113.11", port: 2200 }, "bad host"] },
    } as unknown as Stack;
    expect(hostsOf(withHosts)).toEqual([
      { user: "admin", host: "203.0.113.10", port: 22 },
      { user: "root", host: "203.0.113.11", port: 2200 },
    ]);
  });
});
