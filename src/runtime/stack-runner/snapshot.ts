/** What `cairn ps` shows: services with their replicas (and CPU, memory from /proc), resources, jobs. */
import type { Stack } from "../../model/types.js";
import type { AlarmStatus } from "../alarms/watch.js";
import { runtimeBuckets } from "../resources/s3/index.js";
import type { ScalingDecision, ServiceScaling } from "../scaling/autoscaler.js";
import type { JobSnapshot } from "../scheduler/scheduler.js";
import { GroupMeter } from "../supervisor/proc-stats.js";
import type { ReplicaSnapshot } from "../supervisor/replica.js";
import type { Problem, StackRunner } from "./runner.js";

export interface ReplicaReport extends ReplicaSnapshot {
  readonly uptimeMs: number | null;
  /** Percent of one core. */
  readonly cpu: number | null;
  readonly memoryBytes: number | null;
  /** The gateway's view, when the service is routed. */
  readonly routed: boolean | null;
}

export interface ServiceReport {
  readonly name: string;
  readonly urls: readonly string[];
  /** Its own address at the gateway, which `${name.url}` points to (null without a gateway). */
  readonly address: string | null;
  readonly replicas: readonly ReplicaReport[];
}

export interface ResourceReport {
  readonly name: string;
  readonly type: string;
  readonly pid: number | null;
  readonly healthy: boolean;
}

export interface PsReport {
  /** ISO time of the report. */
  readonly at: string;
  readonly stack: string;
  readonly environment: string;
  readonly file: string;
  readonly pid: number;
  readonly url: string | null;
  readonly services: readonly ServiceReport[];
  readonly resources: readonly ResourceReport[];
  /** Buckets an application created (CreateBucket): not in the stack file, so no target creates them. */
  readonly runtimeBuckets: readonly string[];
  readonly jobs: readonly JobSnapshot[];
  /** Services with `scale`: where each stands, and the last decisions, oldest first. */
  readonly scaling: { readonly services: readonly ServiceScaling[]; readonly decisions: readonly ScalingDecision[] };
  /** The stack's alarms evaluated on the local run, one per alarm and subject. */
  readonly alarms: readonly AlarmStatus[];
  readonly problems: readonly Problem[];
  readonly notices: readonly string[];
}

/** Public URLs of a service: through the gateway's routes, or its own port when nothing routes to it. */
export function serviceUrls(stack: Stack, service: string, edgeUrl: string | null, firstPort: number | null): string[] {
  const routes = stack.routes.filter((r) => r.to === service);
  if (edgeUrl && routes.length) {
    const domain = stack.environment.domain ?? "localhost";
    return routes.map((r) => {
      const path = r.path === "/" ? "/" : r.path;
      if (!r.host) return `${edgeUrl}${path}`;
      const host = r.host.replace("{domain}", domain);
      return `http://${host}:${stack.edge.port}${path}`;
    });
  }
  return firstPort ? [`http://127.0.0.1:${firstPort}/`] : [];
}

/** `cairn ps`'s own CPU meter per run (the console's `/metrics` has its own). */
const meters = new WeakMap<StackRunner, GroupMeter>();

export async function snapshot(runner: StackRunner, now = Date.now()): Promise<PsReport> {
  const { supervisor, gateway, scheduler, resources, monitor } = runner.parts;
  const routed = new Map<string, boolean>();
  for (const s of gateway?.status() ?? []) for (const t of s.targets) routed.set(t.id, t.healthy);
  const byService = new Map<string, ReplicaReport[]>();
  const replicas = supervisor?.snapshot() ?? [];
  const meter = meters.get(runner) ?? new GroupMeter();
  meters.set(runner, meter);
  const groups = meter.read(new Set(replicas.flatMap((r) => (r.pid ? [r.pid] : []))));
  for (const replica of replicas) {
    const stats = replica.pid ? groups.get(replica.pid) : null;
    const list = byService.get(replica.service) ?? [];
    list.push({
      ...replica,
      uptimeMs: replica.pid && replica.startedAt ? now - Date.parse(replica.startedAt) : null,
      cpu: stats?.cpu ?? null,
      memoryBytes: stats?.memoryBytes ?? null,
      routed: routed.get(replica.id) ?? null,
    });
    byService.set(replica.service, list);
  }
  const services = runner.stack.services.map((s) => {
    const replicas = byService.get(s.name) ?? [];
    const own = runner.address(s.name);
    return {
      name: s.name,
      urls: serviceUrls(runner.stack, s.name, runner.url, own ?? replicas[0]?.port ?? null),
      address: own === null ? null : `http://127.0.0.1:${own}`,
      replicas,
    };
  });
  const resourceReports = await Promise.all(
    [...resources.values()].map(async (r) => ({ name: r.name, type: r.type, pid: r.pid, healthy: await r.healthy().catch(() => false) })),
  );
  return {
    at: new Date(now).toISOString(),
    stack: runner.stack.name,
    environment: runner.stack.environment.name,
    file: runner.stack.file,
    pid: process.pid,
    url: runner.url,
    services,
    resources: resourceReports,
    runtimeBuckets: runner.stack.resources.some((r) => r.type === "bucket") ? await runtimeBuckets(runner.paths.resources("_")) : [],
    jobs: scheduler?.snapshot() ?? [],
    scaling: { services: monitor?.autoscaler.status() ?? [], decisions: monitor?.autoscaler.decisions() ?? [] },
    alarms: monitor?.alarms.states() ?? [],
    problems: runner.problems,
    notices: runner.notices,
  };
}
