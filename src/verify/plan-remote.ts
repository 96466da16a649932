/**
 * What a host should run, from the same vm build that put it there: a template unit per service
 * with its replicas, every timer the build writes (jobs, backups), and the folders whose disk
 * matters. Pure.
 */
import type { Stack } from "../model/types.js";
import { generateVm } from "../targets/vm/index.js";
import { planLayout, unitBase } from "../targets/vm/layout.js";
import type { RemoteExpectations } from "./types.js";

export function remoteExpectations(stack: Stack, health: RemoteExpectations["health"]): RemoteExpectations {
  const layout = planLayout(stack);
  const timers = generateVm(stack, {})
    .files.map((f) => /^systemd\/([^/]+\.timer)$/.exec(f.path)?.[1])
    .filter((unit): unit is string => unit !== undefined)
    .map((unit) => ({ name: unit.replace(/\.timer$/, ""), unit }));
  return {
    services: stack.services
      .filter((s) => s.command !== null && s.replicas > 0)
      .map((s) => ({ name: s.name, pattern: `${unitBase(stack, s.name)}@*.service`, replicas: s.replicas })),
    timers,
    health,
    disks: ["/", layout.appDir, layout.dataDir],
  };
}
