/**
 * Which ports of a host should answer: those the machine's rules (`publicPorts`, the list its
 * firewall and security group are built from) open to any address; those open to some addresses
 * only may answer or not from here; every other port probed must be closed: the ports the vm plan
 * puts its replicas, their spare ports and its data stores on, and a short list of common ones. Pure.
 */
import type { Stack } from "../model/types.js";
import { fromAnywhere, publicPorts } from "../targets/common/public-ports.js";
import type { VmPlan } from "../targets/vm/plan.js";
import type { PortExpectations } from "./types.js";

/**
 * Ports often left open by mistake: remote shells and mail, databases and caches, search engines,
 * Docker's API, development servers, and the web ports themselves when the file opens none.
 */
export const COMMON_PORTS = [21, 23, 25, 80, 111, 443, 445, 2375, 3000, 3306, 3389, 5000, 5432, 5601, 6379, 8000, 8080, 8443, 9200, 11211, 27017] as const;

/** The ports the machine listens on besides its public ones: each replica's own and spare port, its data stores'. */
export function machinePorts(plan: VmPlan): number[] {
  const replicas = plan.replicas.flatMap((r) => [r.port, r.sparePort]).filter((p): p is number => p !== null);
  const stores = [...(plan.postgres.length ? [plan.layout.postgresPort] : []), ...plan.layout.redisPorts.values()];
  return [...new Set([...replicas, ...stores])].sort((a, b) => a - b);
}

/** What a host of this stack should show from outside; `vm` is the plan of that host, for a vm environment. */
export function expectedPorts(stack: Stack, vm: VmPlan | null = null): PortExpectations {
  const open = new Set<number>();
  const allowed = new Map<number, string[]>();
  // A TCP connect says nothing about a UDP port.
  for (const rule of publicPorts(stack).filter((r) => r.protocol === "tcp")) {
    if (fromAnywhere(rule.sources)) open.add(rule.port);
    else allowed.set(rule.port, [...new Set([...(allowed.get(rule.port) ?? []), ...rule.sources])]);
  }
  for (const port of open) allowed.delete(port);
  const own = vm ? machinePorts(vm) : stack.services.flatMap((s) => (s.port === null ? [] : [s.port]));
  const closed = [...new Set([...COMMON_PORTS, ...own])].filter((p) => !open.has(p) && !allowed.has(p)).sort((a, b) => a - b);
  return {
    open: [...open].sort((a, b) => a - b),
    allowed: [...allowed.entries()].sort(([a], [b]) => a - b).map(([port, from]) => ({ port, from })),
    closed,
  };
}
