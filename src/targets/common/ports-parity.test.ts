/**
 * One list of what is open to whom (`publicPorts`): the vm firewall's ufw rules, the EC2 security
 * group's ingress as CDK synthesizes it, `cairn verify`'s expected ports and the guide's network
 * table agree for every vm environment of the examples and for a stack with the unusual cases
 * (an edge allow list, UDP, SSH on another port).
 */
import { describe, expect, it } from "vitest";
import { securityRows } from "../../guide/facts/security.js";
import { wordsFor } from "../../guide/i18n/words.js";
import type { Stack } from "../../model/types.js";
import { exampleNames, loadExample, stackFrom } from "../../test-support/index.js";
import { expectedPorts } from "../../verify/plan-ports.js";
import { planEc2 } from "../aws/ec2-plan.js";
import { synthesizeEc2 } from "../aws/synth.js";
import { planVm } from "../vm/plan.js";
import { fromAnywhere, publicPorts } from "./public-ports.js";

/** `22/tcp any`, `22/tcp 198.51.100.7/32`: one entry per port, protocol and source. */
type Entry = string;
const entry = (port: number, protocol: string, source: string): Entry =>
  `${port}/${protocol.toLowerCase()} ${source === "0.0.0.0/0" || source === "::/0" || source === "any" ? "any" : source}`;
const sorted = (entries: Iterable<Entry>) => [...new Set(entries)].sort();

function fromModel(stack: Stack): Entry[] {
  return sorted(publicPorts(stack).flatMap((r) => (fromAnywhere(r.sources) ? ["any"] : r.sources).map((s) => entry(r.port, r.protocol, s))));
}

function fromUfw(stack: Stack): Entry[] {
  return sorted(planVm(stack).firewall.map((r) => entry(r.port, r.protocol, r.from)));
}

function fromSecurityGroup(stack: Stack): Entry[] {
  const template = synthesizeEc2(planEc2(stack).plan).template as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const group = Object.values(template.Resources).find((r) => r.Type === "AWS::EC2::SecurityGroup" && r.Properties.SecurityGroupIngress);
  const ingress = (group?.Properties.SecurityGroupIngress ?? []) as { CidrIp?: string; CidrIpv6?: string; FromPort: number; IpProtocol: string }[];
  return sorted(ingress.map((i) => entry(i.FromPort, i.IpProtocol, i.CidrIp ?? i.CidrIpv6 ?? "?")));
}

/** verify probes TCP only: its open ports are open to any address, its allowed ones to their sources. */
function fromVerify(stack: Stack): Entry[] {
  const { open, allowed } = expectedPorts(stack, planVm(stack));
  return sorted([...open.map((p) => entry(p, "tcp", "any")), ...allowed.flatMap((a) => a.from.map((f) => entry(a.port, "tcp", f)))]);
}

function fromGuide(stack: Stack): Entry[] {
  const w = wordsFor("en");
  const anywhere = w.t("source.anywhere");
  return sorted(
    securityRows(stack, w)
      .filter(([, port]) => /^\d+$/.test(port))
      .filter(([, , , source]) => source !== "127.0.0.1")
      .flatMap(([, port, protocol, source]) =>
        source
          .replace(/ \(.*\)$/, "")
          .split(", ")
          .map((s) => entry(Number(port), protocol, s === anywhere ? "any" : s)),
      ),
  );
}

const UNUSUAL = `
name: shop
services: { web: { run: node web.mjs, port: 3000 }, vpn: { run: wg-daemon, port: 51820 } }
routes: [{ path: /, to: web }]
edge:
  port: 8080
  allow: [203.0.113.0/24]
  open: [{ port: 51820, protocol: udp, description: vpn }, { port: 9000, from: [198.51.100.0/24, 192.0.2.7/32] }]
environments: { prod: { target: vm, region: eu-west-3, instance: t3.small, ssh: { port: 2222 } } }
`;

describe("what is open to whom: one list, read by the firewall, the security group, verify and the guide", () => {
  it("every vm environment of the examples, and a stack with an allow list, UDP and SSH on 2222", async () => {
    const stacks: Stack[] = [stackFrom(UNUSUAL, "prod")];
    for (const name of exampleNames) for (const stack of (await loadExample(name)).values()) if (stack.environment.target === "vm") stacks.push(stack);
    expect(stacks.length).toBeGreaterThan(3);
    for (const stack of stacks) {
      const label = `${stack.name}/${stack.environment.name}`;
      const model = fromModel(stack);
      expect(fromUfw(stack), `${label}: ufw`).toEqual(model);
      expect(fromSecurityGroup(stack), `${label}: security group`).toEqual(model);
      expect(fromGuide(stack), `${label}: guide`).toEqual(model);
      expect(fromVerify(stack), `${label}: verify`).toEqual(model.filter((e) => e.includes("/tcp ")));
    }
  }, 120_000);

  it("the unusual stack: SSH on the environment's port, rate-limited by ufw because the file gives it no rule", () => {
    const stack = stackFrom(UNUSUAL, "prod");
    expect(fromModel(stack)).toEqual(["2222/tcp any", "51820/udp any", "8080/tcp 203.0.113.0/24", "9000/tcp 192.0.2.7/32", "9000/tcp 198.51.100.0/24"]);
    expect(
      planVm(stack)
        .firewall.filter((r) => r.action === "limit")
        .map((r) => r.port),
    ).toEqual([2222]);
  });
});
