/**
 * The supervisor's replicas as metric readings (for `/metrics`, see src/runtime/telemetry/metrics.ts):
 * CPU and memory of each running replica's process group (proc-stats.ts) and its restarts.
 */
import type { ReplicaReading } from "../telemetry/metrics.js";
import type { GroupMeter } from "./proc-stats.js";
import type { ReplicaSnapshot } from "./replica.js";

/** Readings of the replicas `snapshot` lists, CPU since `meter`'s previous reading (the reader's own). */
export function replicaReadings(snapshot: readonly ReplicaSnapshot[], meter: GroupMeter): ReplicaReading[] {
  const groups = meter.read(new Set(snapshot.flatMap((r) => (r.pid !== null ? [r.pid] : []))));
  return snapshot.map((r) => {
    const stats = r.pid !== null ? groups.get(r.pid) : undefined;
    return { service: r.service, replica: r.id, cpuPercent: stats?.cpu ?? null, memoryBytes: stats?.memoryBytes ?? null, restarts: r.restarts };
  });
}
