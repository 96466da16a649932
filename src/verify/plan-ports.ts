/**
 * Which ports of a host should answer: the edge's (nginx and its HTTP redirect), the ports
 * `edge.open` opens to anywhere; those it opens to some addresses only may answer or not from here;
 * every other port probed (the stack's own and a short list of common ones) must be closed. Pure.
 */
import type { Stack } from "../model/types.js";
import { needsProxy } from "../targets/common/edge.js";
import { proxyPorts } from "../targets/common/nginx.js";
import { planLayout } from "../targets/vm/layout.js";
import type { PortExpectations } from "./types.js";

/**
 * Ports often left open by mistake: remote shells and mail, databases and caches, search engines,
 * Docker's API, development servers, and the web ports themselves when the file opens none.
 */
export const COMMON_PORTS = [21, 23, 25, 80, 111, 443, 445, 2375, 3000, 3306, 3389, 5000, 5432, 5601, 6379, 8000, 8080, 8443, 9200, 11211, 27017] as const;

const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);

/** What a host of this stack should show from outside. */
export function expectedPorts(stack: Stack): PortExpectations {
  const open = new Set<number>();
  const allowed = new Map<number, string[]>();
  const allow = (port: number, from: readonly string[]) => allowed.set(port, [...new Set([...(allowed.get(port) ?? []), ...from])]);
  if (needsProxy(stack)) {
    const { main, redirect } = proxyPorts(stack);
    for (const port of redirect === null ? [main] : [main, redirect]) {
      if (stack.edge.allow.length) allow(port, stack.edge.allow);
      else open.add(port);
    }
  }
  for (const rule of stack.edge.open) {
    // A TCP connect says nothing about a UDP port.
    if (rule.protocol !== "tcp") continue;
    if (rule.from.some((f) => ANYWHERE.has(f))) open.add(rule.port);
    else allow(rule.port, rule.from);
  }
  // SSH is how Cairn reaches the host: the vm firewall keeps it open (rate-limited) when the file names no rule.
  if (!open.has(22) && !allowed.has(22)) allow(22, ["any, rate-limited"]);
  for (const port of open) allowed.delete(port);
  const layout = planLayout(stack);
  const own = [...layout.replicaPorts.values()].flat().concat([...layout.redisPorts.values()]);
  const closed = [...new Set([...COMMON_PORTS, ...own])].filter((p) => !open.has(p) && !allowed.has(p)).sort((a, b) => a - b);
  return {
    open: [...open].sort((a, b) => a - b),
    allowed: [...allowed.entries()].sort(([a], [b]) => a - b).map(([port, from]) => ({ port, from })),
    closed,
  };
}
