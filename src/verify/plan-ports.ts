/**
 * Which ports of a host should answer: those the machine's rules open to any address; those open to
 * some addresses only may answer or not from here; every other port probed (the stack's own and a
 * short list of common ones) must be closed. Pure.
 */
import type { Stack } from "../model/types.js";
import { fromAnywhere, publicPorts } from "../targets/common/public-ports.js";
import { planLayout } from "../targets/vm/layout.js";
import type { PortExpectations } from "./types.js";

/**
 * Ports often left open by mistake: remote shells and mail, databases and caches, search engines,
 * Docker's API, development servers, and the web ports themselves when the file opens none.
 */
export const COMMON_PORTS = [21, 23, 25, 80, 111, 443, 445, 2375, 3000, 3306, 3389, 5000, 5432, 5601, 6379, 8000, 8080, 8443, 9200, 11211, 27017] as const;

/** What a host of this stack should show from outside. */
export function expectedPorts(stack: Stack): PortExpectations {
  const open = new Set<number>();
  const allowed = new Map<number, string[]>();
  // A TCP connect says nothing about a UDP port.
  for (const rule of publicPorts(stack).filter((r) => r.protocol === "tcp")) {
    if (fromAnywhere(rule.sources)) open.add(rule.port);
    else allowed.set(rule.port, [...new Set([...(allowed.get(rule.port) ?? []), ...rule.sources])]);
  }
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
