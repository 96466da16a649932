/**
 * The supervisor's replicas as metric readings (for `/metrics`, see src/runtime/telemetry/metrics.ts):
 * CPU and memory of each running replica's process group (proc-stats.ts) and its restarts.
 */
import type { ReplicaReading } from "../telemetry/metrics.js";
import { groupStats, type ProcStats } from "./proc-stats.js";
import type { ReplicaSnapshot } from "./replica.js";

/** Readings of the replicas `snapshot` lists; `read` is injectable for tests (default: /proc). */
export function replicaReadings(snapshot: readonly ReplicaSnapshot[], read: (pgid: number) => ProcStats | null = groupStats): ReplicaReading[] {
  return snapshot.map((r) => {
    const stats = r.pid !== null ? read(r.pid) : null;
    return { service: r.service, replica: r.id, cpuPercent: stats?.cpu ?? null, memoryBytes: stats?.memoryBytes ?? null, restarts: r.restarts };
  });
}
