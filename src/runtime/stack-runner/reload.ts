/**
 * Applies an edited stack to a running one: new services start, removed ones stop, changed ones are
 * replaced one replica at a time (each new replica healthy, in the gateway too, before the old one
 * is drained and stopped), routes and limits are reloaded. Resources and the edge port keep their
 * running form until the next `cairn up`.
 */
import type { Service, Stack } from "../../model/types.js";
import { floorOf } from "../scaling/decide.js";
import type { Replica } from "../supervisor/replica.js";
import type { StackRunner } from "./runner.js";

export interface ReloadResult {
  readonly started: string[];
  readonly replaced: string[];
  readonly stopped: string[];
  readonly failed: { name: string; message: string }[];
  readonly notes: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Replicas of a replaced service: a scaled one keeps the count it has, within its new bounds. */
export function replicaCount(service: Service, running: number): number {
  const scale = service.scale;
  if (!scale || running === 0) return service.replicas;
  return Math.min(Math.max(running, floorOf(scale)), Math.max(floorOf(scale), scale.max));
}

export async function reloadStack(runner: StackRunner, next: Stack): Promise<ReloadResult> {
  const { supervisor, gateway } = runner.parts;
  const result: ReloadResult = { started: [], replaced: [], stopped: [], failed: [], notes: [] };
  if (!supervisor) return result;
  const before = runner.stack;
  if (!same(before.resources, next.resources)) result.notes.push("resource changes take effect at the next `cairn up`");
  if (before.edge.port !== next.edge.port) result.notes.push("an edge port change takes effect at the next `cairn up`");
  if (!same(before.jobs, next.jobs)) result.notes.push("job changes take effect at the next `cairn up`");
  runner.stack = next;
  const current = new Map(before.services.map((s) => [s.name, s]));
  const replace = async (service: Service, fresh: boolean) => {
    try {
      // A new service's address opens first: the replicas' callers may be rendered against it.
      if (fresh) await runner.openAddress(service);
      const ports = await runner.ports(service.name, replicaCount(service, supervisor.replicas(service.name).length), service.port);
      await supervisor.replace(
        service,
        ports,
        (port) => runner.envFor(service, port),
        async (replicas: readonly Replica[], added: Replica | null, retiring: Replica | null) => {
          if (!gateway || service.port === null) return;
          runner.route(service.name, retiring ? [...replicas, retiring] : replicas);
          if (added) await gateway.waitHealthy(service.name, added.id, 60_000);
          runner.route(service.name, replicas);
        },
      );
      (fresh ? result.started : result.replaced).push(service.name);
    } catch (error) {
      result.failed.push({ name: service.name, message: (error as Error).message });
    }
  };
  // The gateway learns of new services first, so their replicas can be routed as they start.
  gateway?.reload(next);
  for (const service of next.services) if (!current.has(service.name)) await replace(service, true);
  for (const service of next.services) {
    const old = current.get(service.name);
    if (old && !same(old, service)) await replace(service, false);
  }
  for (const old of before.services) {
    if (next.services.some((s) => s.name === old.name)) continue;
    await supervisor.stop(old.name);
    runner.forgetAddress(old.name);
    result.stopped.push(old.name);
  }
  return result;
}
