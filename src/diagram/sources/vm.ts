/**
 * What the vm target puts on the machine, read from its output: systemd units and their instances,
 * timers, the nginx site's listening ports, the ufw rules of firewall.sh, the local data stores; and
 * what stays outside (managed services, external systems).
 *
 * This is the one function to change when the vm target gives its plan as data (the deploy work):
 * the diagram's vm view and the guide read only `vmFacts`.
 */
import type { Resource, Stack } from "../../model/types.js";
import { PORTS } from "../../targets/k8s/env.js";
import type { TargetNote } from "../../targets/types.js";
import { generateVm } from "../../targets/vm/index.js";
import { instances, onMachine, planLayout, unitBase } from "../../targets/vm/layout.js";

export interface VmUnit {
  /** The stack's process name. */
  readonly process: string;
  readonly kind: "service" | "job";
  /** systemd units started on the machine (one per replica for a service). */
  readonly units: readonly string[];
  readonly ports: readonly number[];
  /** The timer's OnCalendar line, for a scheduled job. */
  readonly calendar: string | null;
}

export interface VmRule {
  readonly action: "allow" | "limit";
  readonly protocol: string;
  readonly port: number;
  readonly from: string;
  readonly comment: string;
}

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
  readonly files: readonly string[];
  readonly warnings: readonly TargetNote[];
  readonly appDir: string;
  readonly secretsFile: string;
}

const UFW = /^ufw (allow|limit) proto (\w+) from (\S+) to any port (\d+) comment '([^']*)'$/;

/** The machine as the vm target builds it for this environment. */
/** Facts already read, per stack: the guide's sections and the diagram ask for the same ones. */
const readVmFacts = new WeakMap<Stack, VmFacts>();

export function vmFacts(stack: Stack): VmFacts {
  const known = readVmFacts.get(stack);
  if (known) return known;
  const facts = vmFactsOf(stack);
  readVmFacts.set(stack, facts);
  return facts;
}

function vmFactsOf(stack: Stack): VmFacts {
  const output = generateVm(stack, {});
  const layout = planLayout(stack);
  const file = (path: string) => output.files.find((f) => f.path === path)?.content ?? null;
  const units: VmUnit[] = [];
  for (const s of stack.services)
    units.push({ process: s.name, kind: "service", units: instances(layout, s), ports: layout.replicaPorts.get(s.name) ?? [], calendar: null });
  for (const j of stack.jobs) {
    const timer = file(`systemd/${unitBase(stack, j.name)}.timer`);
    const calendar = timer ? (/^OnCalendar=(.+)$/m.exec(timer)?.[1] ?? null) : null;
    units.push({ process: j.name, kind: "job", units: [`${unitBase(stack, j.name)}.service`], ports: [], calendar });
  }
  const nginx = file(`nginx/${stack.name}.conf`);
  const nginxPorts = nginx ? [...new Set([...nginx.matchAll(/^\s*listen (\d+)/gm)].map((m) => Number(m[1])))].sort((a, b) => a - b) : null;
  const firewall: VmRule[] = [];
  for (const line of (file("firewall.sh") ?? "").split("\n")) {
    const m = UFW.exec(line);
    if (m) firewall.push({ action: m[1] as "allow" | "limit", protocol: m[2] ?? "tcp", from: m[3] ?? "any", port: Number(m[4]), comment: m[5] ?? "" });
  }
  const stores: VmStore[] = [];
  for (const r of stack.resources) {
    if (!onMachine(r.placement)) continue;
    if (r.type === "postgres") stores.push({ resource: r.name, engine: "postgres", port: PORTS.postgres, unit: "postgresql.service" });
    if (r.type === "redis")
      stores.push({
        resource: r.name,
        engine: "redis",
        port: layout.redisPorts.get(r.name) ?? PORTS.redis,
        unit: `redis-server@${unitBase(stack, r.name)}.service`,
      });
  }
  const outside = stack.resources.filter((r) => !stores.some((s) => s.resource === r.name) && r.type !== "static");
  return {
    units,
    nginxPorts,
    firewall,
    stores,
    outside,
    files: output.files.map((f) => f.path),
    warnings: output.warnings,
    appDir: layout.appDir,
    secretsFile: layout.secretsFile,
  };
}
