/**
 * The ports a machine of the stack opens, and to whom: the edge's (nginx and its HTTP redirect),
 * `edge.open`, and SSH. What a firewall or a security group lets in, and what `cairn verify` expects
 * to answer. Pure.
 */
import type { Stack } from "../../model/types.js";
import { needsProxy } from "./edge.js";
import { proxyPorts } from "./nginx.js";

export const ANYWHERE: readonly string[] = ["0.0.0.0/0", "::/0"];

export interface PortRule {
  readonly port: number;
  readonly protocol: "tcp" | "udp";
  /** CIDR blocks let in; `ANYWHERE` for any address. */
  readonly sources: readonly string[];
  readonly description: string;
  /** Open to any address only because the file names no admin address: say so. */
  readonly defaulted: boolean;
}

/** True when the sources include any address. */
export function fromAnywhere(sources: readonly string[]): boolean {
  return sources.some((s) => ANYWHERE.includes(s));
}

/** Every port rule of a machine of the stack, in port order. */
export function publicPorts(stack: Stack): PortRule[] {
  const rules: PortRule[] = [];
  if (needsProxy(stack)) {
    const { main, redirect } = proxyPorts(stack);
    const sources = stack.edge.allow.length ? stack.edge.allow : ANYWHERE;
    rules.push({ port: main, protocol: "tcp", sources, description: "edge", defaulted: false });
    if (redirect !== null && redirect !== main)
      rules.push({ port: redirect, protocol: "tcp", sources, description: "edge: HTTP redirect and certificates", defaulted: false });
  }
  for (const open of stack.edge.open)
    if (!rules.some((r) => r.port === open.port && r.protocol === open.protocol))
      rules.push({ port: open.port, protocol: open.protocol, sources: open.from, description: open.description ?? `port ${open.port}`, defaulted: false });
  // Cairn reaches the machine over SSH: with no rule for it, it stays open to any address (the vm firewall rate-limits it).
  if (!rules.some((r) => r.port === 22 && r.protocol === "tcp"))
    rules.push({ port: 22, protocol: "tcp", sources: ANYWHERE, description: "admin SSH (no address given in edge.open)", defaulted: true });
  return rules.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}
