/**
 * What the vm target puts on the machine, read from its plan (`planVm`, the same data `cairn build`
 * renders and `cairn deploy` acts on): systemd units and their instances, timers, nginx's listening
 * ports, the firewall rules, the local data stores; and what stays outside (managed services,
 * external systems). The diagram's vm view and the guide read only `vmFacts`.
 */
import type { Resource, Stack } from "../../model/types.js";
import { proxyPorts } from "../../targets/common/nginx.js";
import type { TargetNote } from "../../targets/types.js";
import { redisUnit, unitBase } from "../../targets/vm/layout.js";
import { planVm } from "../../targets/vm/plan.js";
import type { FirewallRule } from "../../targets/vm/scripts.js";

export interface VmUnit {
  /** The stack's process name. */
  readonly process: string;
  readonly kind: "service" | "job";
  /** systemd units started on the machine (one per replica for a service). */
  readonly units: readonly string[];
  /** Each replica's own port. */
  readonly ports: readonly number[];
  /** The ports a new release of a replica starts on beside the old one (behind nginx). */
  readonly sparePorts: readonly number[];
  /** The timer's OnCalendar line, for a scheduled job. */
  readonly calendar: string | null;
}

/** A firewall rule of the machine, as the vm plan holds it. */
export type VmRule = FirewallRule;

export interface VmStore {
  readonly resource: string;
  readonly engine: "postgres" | "redis";
  readonly port: number;
  readonly unit: string;
}

export interface VmFacts {
  readonly units: readonly VmUnit[];
  /** nginx's listening ports, or null when the stack needs no proxy. */
  readonly nginxPorts: readonly number[] | null;
  readonly firewall: readonly VmRule[];
  readonly stores: readonly VmStore[];
  /** Resources not on the machine. */
  readonly outside: readonly Resource[];
  /** Timer units the machine runs (jobs and backups). */
  readonly timers: readonly string[];
  readonly warnings: readonly TargetNote[];
  readonly appDir: string;
  readonly releasesDir: string;
  readonly backupDir: string;
  readonly secretsFile: string;
}

/** Facts already read, per stack: the guide's sections and the diagram ask for the same ones. */
const readVmFacts = new WeakMap<Stack, VmFacts>();

/** The machine as the vm plan has it for this environment. */
export function vmFacts(stack: Stack): VmFacts {
  const known = readVmFacts.get(stack);
  if (known) return known;
  const facts = vmFactsOf(stack);
  readVmFacts.set(stack, facts);
  return facts;
}

function vmFactsOf(stack: Stack): VmFacts {
  const plan = planVm(stack);
  const { layout } = plan;
  const units: VmUnit[] = [];
  for (const s of stack.services) {
    const replicas = plan.replicas.filter((r) => r.service === s.name);
    const ports = (list: readonly (number | null)[]) => list.filter((p): p is number => p !== null);
    units.push({
      process: s.name,
      kind: "service",
      units: replicas.map((r) => r.unit),
      ports: ports(replicas.map((r) => r.port)),
      sparePorts: ports(replicas.map((r) => r.sparePort)),
      calendar: null,
    });
  }
  for (const j of stack.jobs) {
    const timed = plan.timers.includes(`${unitBase(stack, j.name)}.timer`);
    units.push({
      process: j.name,
      kind: "job",
      units: [`${unitBase(stack, j.name)}.service`],
      ports: [],
      sparePorts: [],
      calendar: timed ? (j.schedule?.calendar ?? null) : null,
    });
  }
  const proxy = plan.nginx === null ? null : proxyPorts(stack);
  const stores: VmStore[] = [
    ...plan.postgres.map((r) => ({ resource: r.name, engine: "postgres" as const, port: layout.postgresPort, unit: "postgresql.service" })),
    ...plan.redis.map((r) => ({ resource: r.name, engine: "redis" as const, port: layout.redisPorts.get(r.name) ?? 0, unit: redisUnit(stack, r) })),
  ];
  const outside = stack.resources.filter((r) => !stores.some((s) => s.resource === r.name) && r.type !== "static");
  return {
    units,
    nginxPorts: proxy ? [...new Set([proxy.main, ...(proxy.redirect === null ? [] : [proxy.redirect])])].sort((a, b) => a - b) : null,
    firewall: plan.firewall,
    stores,
    outside,
    timers: plan.timers,
    warnings: plan.warnings,
    appDir: layout.appDir,
    releasesDir: layout.releasesDir,
    backupDir: layout.backupDir,
    secretsFile: layout.secretsFile,
  };
}
