/** Choosing machine and node sizes from what the processes ask for. Pure. */
import type { Stack } from "../model/types.js";

/** EC2 types Cairn can choose from, smallest first (vCPU, memory in GiB). */
export const EC2_TYPES = [
  { name: "t3.micro", cpu: 2, memoryGiB: 1 },
  { name: "t3.small", cpu: 2, memoryGiB: 2 },
  { name: "t3.medium", cpu: 2, memoryGiB: 4 },
  { name: "t3.large", cpu: 2, memoryGiB: 8 },
  { name: "t3.xlarge", cpu: 4, memoryGiB: 16 },
] as const;

/** Other types the catalog prices, for sizing nodes when the file names one. */
export const OTHER_TYPES = [
  { name: "m5.large", cpu: 2, memoryGiB: 8 },
  { name: "r5.large", cpu: 2, memoryGiB: 16 },
  { name: "r5.xlarge", cpu: 4, memoryGiB: 32 },
] as const;

/** Headroom kept free on a machine: 25% over what the processes ask, plus 0.5 GiB for the system. */
export const HEADROOM = 1.25;
const SYSTEM_GIB = 0.5;
const GIB = 1024 ** 3;

export interface Demand {
  readonly cpu: number;
  readonly memoryGiB: number;
  readonly detail: string;
}

/** Memory Cairn counts for a database or cache running on the same machine. */
const SELF_HOSTED_GIB = { postgres: 1, redis: 0.25 } as const;

/**
 * What the processes of a stack ask for at once: every service times its replicas, the largest job
 * (jobs run one at a time), and databases or caches running beside them.
 */
export function demand(stack: Stack, selfHosted: readonly string[]): Demand {
  let cpu = 0;
  let mem = 0;
  for (const s of stack.services) {
    cpu += s.size.cpu * s.replicas;
    mem += (s.size.memoryBytes / GIB) * s.replicas;
  }
  const job = [...stack.jobs].sort((a, b) => b.size.memoryBytes - a.size.memoryBytes)[0];
  if (job) {
    cpu += job.size.cpu;
    mem += job.size.memoryBytes / GIB;
  }
  for (const r of stack.resources) {
    if (!selfHosted.includes(r.name)) continue;
    if (r.type === "redis") mem += r.memoryBytes ? r.memoryBytes / GIB : SELF_HOSTED_GIB.redis;
    if (r.type === "postgres") mem += SELF_HOSTED_GIB.postgres;
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  return { cpu: round(cpu), memoryGiB: round(mem), detail: `${round(cpu)} vCPU and ${round(mem)} GiB asked` };
}

/** The smallest EC2 type whose vCPUs and memory hold `demand` spread over `machines`, with headroom. */
export function smallestFit(need: Demand, machines: number): { name: string; fits: boolean } {
  for (const t of EC2_TYPES) {
    if ((need.cpu / machines) * HEADROOM <= t.cpu && (need.memoryGiB / machines) * HEADROOM + SYSTEM_GIB <= t.memoryGiB) return { name: t.name, fits: true };
  }
  return { name: "t3.xlarge", fits: false };
}

/** Worker nodes for Kubernetes: for each type, how many hold the pods (at least two); the cheapest wins. */
export function nodesFor(need: Demand, hourly: (type: string) => number | undefined): { type: string; count: number } | null {
  let best: { type: string; count: number; cost: number } | null = null;
  for (const t of EC2_TYPES.slice(2)) {
    const price = hourly(t.name);
    if (price === undefined) continue;
    // Allocatable: 0.1 vCPU and 20% of memory go to the kubelet, the system and eviction reserve.
    const count = Math.max(2, Math.ceil((need.cpu * HEADROOM) / (t.cpu - 0.1)), Math.ceil((need.memoryGiB * HEADROOM) / (t.memoryGiB * 0.8)));
    const cost = count * price;
    if (!best || cost < best.cost - 1e-9) best = { type: t.name, count, cost };
  }
  return best ? { type: best.type, count: best.count } : null;
}

/** Memory of ElastiCache node classes (GiB), smallest first, to pick one that holds `memory`. */
export const CACHE_NODES = [
  { name: "cache.t3.micro", memoryGiB: 0.5 },
  { name: "cache.t3.small", memoryGiB: 1.37 },
  { name: "cache.t3.medium", memoryGiB: 3.09 },
  { name: "cache.r5.large", memoryGiB: 13.07 },
] as const;

/** The smallest cache node that holds `bytes` (cache.t3.micro when no memory is given). */
export function cacheNodeFor(bytes: number | null): string {
  if (bytes === null) return "cache.t3.micro";
  const gib = bytes / GIB;
  return CACHE_NODES.find((n) => n.memoryGiB >= gib)?.name ?? "cache.r5.large";
}
