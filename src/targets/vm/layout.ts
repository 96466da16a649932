/**
 * Where everything goes on the VM, and the ports of each replica. Pure and deterministic: the same
 * stack gives the same names and ports.
 */
import type { Process, Redis, Service, Stack } from "../../model/types.js";
import { needsProxy, portIsOpen } from "../common/edge.js";
import { proxyPorts } from "../common/nginx.js";

export interface VmLayout {
  readonly stack: Stack;
  /** System user and group that run the processes. */
  readonly user: string;
  /** Where releases live: `<appDir>/releases/<id>`, `<appDir>/current`, `<appDir>/slots`. */
  readonly appDir: string;
  /** The release jobs and the install script run: a symlink `cairn deploy` moves, or a folder the user fills. */
  readonly currentDir: string;
  /** One symlink per service replica (`<unit prefix>-<instance>`) to the release it runs. */
  readonly slotsDir: string;
  readonly releasesDir: string;
  readonly confDir: string;
  /** The secrets file the user fills, read by the install script. */
  readonly secretsFile: string;
  readonly dataDir: string;
  readonly logDir: string;
  readonly backupDir: string;
  /** Port of each replica, by service name (empty for a service without a port). */
  readonly replicaPorts: ReadonlyMap<string, readonly number[]>;
  /**
   * A second port per replica, by service name, for services behind nginx: `cairn deploy` starts a
   * replica's new release there while the old one still serves. Empty where no proxy is in front.
   */
  readonly sparePorts: ReadonlyMap<string, readonly number[]>;
  /** Port of each self-hosted Redis, by resource name. */
  readonly redisPorts: ReadonlyMap<string, number>;
  /** Port of the machine's PostgreSQL (Debian's cluster), kept free of replicas even when none runs. */
  readonly postgresPort: number;
}

/** Debian's PostgreSQL cluster listens here; the first Redis takes Redis's own port. */
export const POSTGRES_PORT = 5432;
const REDIS_PORT = 6379;

/** A unit-name-safe stack prefix: `cityflow-api`. */
export function unitBase(stack: Stack, name: string): string {
  let names = unitNames.get(stack);
  if (!names) {
    names = new Map();
    unitNames.set(stack, names);
  }
  let base = names.get(name);
  if (base === undefined) {
    base = `${stack.name}-${name}`.replace(/[^A-Za-z0-9:_.\\-]/g, "-");
    names.set(name, base);
  }
  return base;
}

/** Unit names already made, per stack: generators ask for the same ones for every reference. */
const unitNames = new WeakMap<Stack, Map<string, string>>();

/** File name of a process's unit: a template unit for services (`name@.service`), plain for jobs. */
export function unitFile(stack: Stack, process: Process): string {
  return process.kind === "service" ? `${unitBase(stack, process.name)}@.service` : `${unitBase(stack, process.name)}.service`;
}

/** Instances of a service's template unit: one per replica, named by port (or index without a port). */
export function instances(layout: VmLayout, service: Service): string[] {
  const ports = layout.replicaPorts.get(service.name) ?? [];
  const ids = ports.length ? ports.map(String) : Array.from({ length: service.replicas }, (_, i) => String(i + 1));
  return ids.map((id) => `${unitBase(layout.stack, service.name)}@${id}.service`);
}

/** Instance unit of a self-hosted Redis (Debian's `redis-server@.service`). */
export function redisUnit(stack: Stack, redis: Redis): string {
  return `redis-server@${unitBase(stack, redis.name)}.service`;
}

/** True when the resource runs on the VM. */
export function onMachine(placement: string): boolean {
  return placement === "self" || placement === "local";
}

/**
 * Ports: each replica after the first takes the next free port above the service's own, skipping
 * every port already declared (services, edge, open ports, data stores).
 */
export function planLayout(stack: Stack): VmLayout {
  const used = new Set<number>([POSTGRES_PORT, ...stack.edge.open.map((p) => p.port)]);
  for (const s of stack.services) if (s.port !== null) used.add(s.port);
  if (needsProxy(stack)) {
    const { main, redirect } = proxyPorts(stack);
    used.add(main);
    if (redirect !== null) used.add(redirect);
  }
  const redisPorts = new Map<string, number>();
  let next = REDIS_PORT;
  for (const r of [...stack.resources].sort((a, b) => a.name.localeCompare(b.name))) {
    if (r.type !== "redis" || !onMachine(r.placement)) continue;
    while (used.has(next)) next++;
    redisPorts.set(r.name, next);
    used.add(next);
  }
  const replicaPorts = new Map<string, number[]>();
  for (const s of [...stack.services].sort((a, b) => a.name.localeCompare(b.name))) {
    if (s.port === null) {
      replicaPorts.set(s.name, []);
      continue;
    }
    const ports = [s.port];
    let candidate = s.port + 1;
    while (ports.length < s.replicas) {
      if (!used.has(candidate)) {
        ports.push(candidate);
        used.add(candidate);
      }
      candidate++;
    }
    replicaPorts.set(s.name, ports);
  }
  // Spare ports come after every replica's own, so adding a spare never moves a replica.
  const sparePorts = new Map<string, number[]>();
  for (const s of [...stack.services].sort((a, b) => a.name.localeCompare(b.name))) {
    const own = replicaPorts.get(s.name) ?? [];
    if (own.length === 0 || portIsOpen(stack, s.port)) {
      sparePorts.set(s.name, []);
      continue;
    }
    const spare: number[] = [];
    let candidate = Math.max(...own) + 1;
    while (spare.length < own.length) {
      if (!used.has(candidate) && candidate <= 65535) {
        spare.push(candidate);
        used.add(candidate);
      }
      candidate = candidate >= 65535 ? 1024 : candidate + 1;
    }
    sparePorts.set(s.name, spare);
  }
  const name = stack.name;
  return {
    stack,
    user: name.replace(/[^a-z0-9_-]/gi, "-").toLowerCase(),
    appDir: `/opt/${name}`,
    currentDir: `/opt/${name}/current`,
    slotsDir: `/opt/${name}/slots`,
    releasesDir: `/opt/${name}/releases`,
    confDir: `/etc/${name}`,
    secretsFile: `/etc/${name}/${name}.env`,
    dataDir: `/var/lib/${name}`,
    logDir: `/var/log/${name}`,
    backupDir: `/var/backups/${name}`,
    replicaPorts,
    sparePorts,
    redisPorts,
    postgresPort: POSTGRES_PORT,
  };
}
