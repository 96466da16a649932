/**
 * The ports a machine of the stack opens, and to whom: the edge's (nginx and its HTTP redirect),
 * `edge.open`, and SSH. The one list every verb reads: the vm firewall (ufw rules), the EC2
 * security group, `cairn verify`'s expected-open ports, the guide's network table and the
 * diagram's vm view. Pure.
 */
import type { Stack } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import { needsProxy } from "./edge.js";
import { proxyPorts } from "./nginx.js";

export const ANYWHERE: readonly string[] = ["0.0.0.0/0", "::/0"];

export interface PortRule {
  readonly port: number;
  readonly protocol: "tcp" | "udp";
  /** CIDR blocks let in; `ANYWHERE` for any address. */
  readonly sources: readonly string[];
  readonly description: string;
  /** What the rule is for: the edge (nginx), a port of `edge.open`, or SSH the file gives no rule for. */
  readonly purpose: "edge" | "open" | "ssh";
  /** Open to any address only because the file names no admin address: say so (a firewall rate-limits it). */
  readonly defaulted: boolean;
}

/** True when the sources include any address. */
export function fromAnywhere(sources: readonly string[]): boolean {
  return sources.some((s) => ANYWHERE.includes(s));
}

/** The ports Cairn reaches the machines on over SSH: each host's own, else the environment's `ssh.port`. */
export function sshPorts(stack: Stack): number[] {
  const { ssh, hosts } = stack.environment;
  const ports = hosts.length ? hosts.map((h) => h.port ?? ssh.port) : [ssh.port];
  return [...new Set(ports)].sort((a, b) => a - b);
}

/** Every port rule of a machine of the stack, in port order. */
export function publicPorts(stack: Stack): PortRule[] {
  const rules: PortRule[] = [];
  if (needsProxy(stack)) {
    const { main, redirect } = proxyPorts(stack);
    const sources = stack.edge.allow.length ? stack.edge.allow : ANYWHERE;
    rules.push({ port: main, protocol: "tcp", sources, description: "edge", purpose: "edge", defaulted: false });
    if (redirect !== null && redirect !== main)
      rules.push({ port: redirect, protocol: "tcp", sources, description: "edge: HTTP redirect and certificates", purpose: "edge", defaulted: false });
  }
  for (const open of stack.edge.open)
    if (!rules.some((r) => r.port === open.port && r.protocol === open.protocol))
      rules.push({
        port: open.port,
        protocol: open.protocol,
        sources: open.from,
        description: open.description ?? `port ${open.port}`,
        purpose: "open",
        defaulted: false,
      });
  // Cairn reaches the machine over SSH: with no rule for it, it stays open to any address (the vm firewall rate-limits it).
  for (const port of sshPorts(stack))
    if (!rules.some((r) => r.port === port && r.protocol === "tcp"))
      rules.push({ port, protocol: "tcp", sources: ANYWHERE, description: "admin SSH", purpose: "ssh", defaulted: true });
  return rules.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/** The warning a defaulted SSH rule deserves, worded once for the firewall and the security group. */
export function portNotes(rules: readonly PortRule[], instead: string): TargetNote[] {
  return rules
    .filter((r) => r.defaulted)
    .map((r) => ({
      part: "edge.open",
      message: `the stack gives no admin address for SSH (port ${r.port})`,
      instead: `${instead}; add { port: ${r.port}, from: <your address>/32 } to edge.open`,
    }));
}
