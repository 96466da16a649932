/**
 * CPU and memory of each service's replicas, sampled from /proc at each tick: per replica in percent
 * of one core and bytes, per service as the average use of what a replica reserves (`size`), the figure
 * ECS's CPUUtilization and MemoryUtilization give and the HPA's resource targets read. Replicas not
 * ready yet (starting, restarting) are left out of the average, as ECS counts running tasks only.
 */
import type { Service } from "../../model/types.js";
import { type GroupUsage, readGroups } from "../supervisor/proc-stats.js";
import type { Utilization } from "./decide.js";

/** What the sampler needs of a replica (a supervisor `Replica` fits). */
export interface SampledReplica {
  readonly id: string;
  readonly pid: number | null;
  readonly ready: boolean;
}

export interface ReplicaUsage {
  readonly id: string;
  /** Percent of one core over the last interval; null on its first reading. */
  readonly cpu: number | null;
  readonly memoryBytes: number | null;
}

export interface ServiceUsage extends Utilization {
  readonly service: string;
  /** Replicas the service has now, ready or not. */
  readonly count: number;
  readonly replicas: readonly ReplicaUsage[];
}

type Reader = (pgids: ReadonlySet<number>) => { readonly at: number; readonly groups: ReadonlyMap<number, GroupUsage> };

const round = (n: number) => Math.round(n * 10) / 10;

/** Average of the known values, or null when there is none. */
function average(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
}

/** Reads replica usage; keeps its own previous readings, so CPU is over the interval since its last call. */
export class UsageSampler {
  private previous = new Map<number, { cpuSeconds: number; at: number }>();

  constructor(private readonly read: Reader = readGroups) {}

  sample(services: readonly { readonly service: Service; readonly replicas: readonly SampledReplica[] }[]): Map<string, ServiceUsage> {
    const pids = new Set(services.flatMap((s) => s.replicas.map((r) => r.pid).filter((p): p is number => p !== null)));
    const { at, groups } = this.read(pids);
    const next = new Map<number, { cpuSeconds: number; at: number }>();
    const out = new Map<string, ServiceUsage>();
    for (const { service, replicas } of services) {
      const usage = replicas.map((r) => {
        const group = r.pid === null ? undefined : groups.get(r.pid);
        if (!group || r.pid === null) return { replica: r, cpu: null, memoryBytes: null };
        next.set(r.pid, { cpuSeconds: group.cpuSeconds, at });
        const last = this.previous.get(r.pid);
        const elapsed = last ? at - last.at : 0;
        const cpu = last && elapsed > 0 ? Math.max(0, ((group.cpuSeconds - last.cpuSeconds) / elapsed) * 100) : null;
        return { replica: r, cpu, memoryBytes: group.memoryBytes };
      });
      const ready = usage.filter((u) => u.replica.ready);
      const cpu = average(ready.map((u) => u.cpu));
      const memory = average(ready.map((u) => u.memoryBytes));
      out.set(service.name, {
        service: service.name,
        count: replicas.length,
        cpu: cpu === null || service.size.cpu <= 0 ? null : round(cpu / service.size.cpu),
        memory: memory === null || service.size.memoryBytes <= 0 ? null : round((memory / service.size.memoryBytes) * 100),
        replicas: usage.map((u) => ({ id: u.replica.id, cpu: u.cpu === null ? null : round(u.cpu), memoryBytes: u.memoryBytes })),
      });
    }
    this.previous = next;
    return out;
  }
}
