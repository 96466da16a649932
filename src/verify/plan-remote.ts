/**
 * What a host should run, from the vm plan that `cairn deploy` put there: a template unit per
 * service with its replicas, every timer of the plan (jobs, backups), the loopback health checks of
 * its replicas, and the folders whose disk matters. Pure.
 */
import { unitBase } from "../targets/vm/layout.js";
import type { VmPlan } from "../targets/vm/plan.js";
import type { RemoteExpectations } from "./types.js";

/** A health path checked on the host itself: a service no route or public port exposes. */
export interface HostHealth {
  readonly service: string;
  readonly path: string;
  readonly status: readonly [number, number];
}

export function remoteExpectations(plan: VmPlan, health: readonly HostHealth[]): RemoteExpectations {
  const { stack, layout } = plan;
  return {
    services: stack.services
      .filter((s) => s.command !== null && s.replicas > 0)
      .map((s) => ({ name: s.name, pattern: `${unitBase(stack, s.name)}@*.service`, replicas: s.replicas })),
    timers: plan.timers.map((unit) => ({ name: unit.replace(/\.timer$/, ""), unit })),
    health: health.flatMap((h) =>
      plan.replicas
        .filter((r) => r.service === h.service && r.port !== null)
        .map((r) => ({ ...h, ports: [r.port, r.sparePort].filter((p): p is number => p !== null) })),
    ),
    disks: ["/", layout.appDir, layout.dataDir],
  };
}
