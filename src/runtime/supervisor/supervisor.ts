/**
 * The supervisor: runs every replica of every service, keeps them alive by their restart policy,
 * replaces a service one replica at a time, and stops everything gracefully. `close()` is idempotent.
 */
import { join } from "node:path";
import type { Service } from "../../model/types.js";
import type { Redact } from "../env/redact.js";
import { type LogListener, LogSink } from "./log-sink.js";
import { Replica, type ReplicaSnapshot } from "./replica.js";
import type { Watchdog } from "./watchdog.js";

export interface SupervisorOptions {
  readonly root: string;
  /** Folder for the replicas' log files. */
  readonly logDir: string;
  readonly host: string;
  readonly watchdog: Watchdog;
  readonly onLog: LogListener;
  /** Takes secret values out of every line of the replicas' output. */
  readonly redact?: Redact;
  /** Called when a replica of `service` changes state or health. */
  readonly onChange?: (service: string) => void;
  readonly startupCheckMs?: number;
}

/** The longest a service may take to become healthy before `cairn up` reports it as never healthy. */
export function startTimeoutMs(service: Service): number {
  const h = service.health;
  if (!h) return 10_000;
  return Math.max(5_000, h.graceMs + (h.healthy + h.unhealthy) * h.intervalMs + h.timeoutMs);
}

/** Waits until every replica is ready; rejects with the first replica's cause when one cannot be. */
export function waitReady(replicas: readonly Replica[], timeoutMs: number, subscribe: (listener: () => void) => () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      const late = replicas.find((r) => !r.ready);
      reject(
        new Error(
          `${late?.id ?? "a replica"} never became healthy within ${Math.round(timeoutMs / 100) / 10} s${late?.reason ? ` (${late.reason})` : ""}${late ? `; its output: ${late.snapshot().log}` : ""}`,
        ),
      );
    }, timeoutMs);
    const test = () => {
      const dead = replicas.find((r) => r.dead);
      if (dead) {
        clearTimeout(timer);
        unsubscribe();
        reject(new Error(`${dead.id} ${dead.reason ?? "stopped"}; its output: ${dead.snapshot().log}`));
      } else if (replicas.every((r) => r.ready)) {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    };
    unsubscribe = subscribe(test);
    test();
  });
}

export class Supervisor {
  private readonly services = new Map<string, { service: Service; replicas: Replica[] }>();
  private readonly listeners = new Set<() => void>();
  private readonly sinks = new Set<LogSink>();
  private closing: Promise<void> | null = null;

  constructor(private readonly options: SupervisorOptions) {}

  /** Registers a listener called on any replica change; returns its removal. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private replica(service: Service, index: number, port: number | null, env: Record<string, string>): Replica {
    const sink = new LogSink(
      join(this.options.logDir, `${service.name}.${index}.log`),
      `${service.name}.${index}`,
      this.options.onLog,
      undefined,
      this.options.redact,
    );
    this.sinks.add(sink);
    return new Replica({
      service,
      index,
      port,
      host: this.options.host,
      root: this.options.root,
      env: port === null ? env : { ...env, PORT: String(port) },
      sink,
      watchdog: this.options.watchdog,
      startupCheckMs: this.options.startupCheckMs,
      onChange: () => {
        this.options.onChange?.(service.name);
        for (const listener of this.listeners) listener();
      },
    });
  }

  /** Starts every replica of a service (one port each); does not wait for health. */
  start(service: Service, ports: readonly (number | null)[], envFor: (port: number | null) => Record<string, string>): Replica[] {
    const replicas = ports.map((port, i) => this.replica(service, i + 1, port, envFor(port)));
    this.services.set(service.name, { service, replicas });
    for (const replica of replicas) replica.start();
    return replicas;
  }

  /** Waits for a service's replicas to be ready (see `startTimeoutMs`). */
  ready(name: string, timeoutMs?: number): Promise<void> {
    const entry = this.services.get(name);
    if (!entry) return Promise.reject(new Error(`${name} is not running`));
    return waitReady(entry.replicas, timeoutMs ?? startTimeoutMs(entry.service), (l) => this.subscribe(l));
  }

  replicas(name: string): readonly Replica[] {
    return this.services.get(name)?.replicas ?? [];
  }

  /** A running replica by its id (`api.2`), or null. */
  replicaById(id: string): Replica | null {
    for (const entry of this.services.values()) for (const r of entry.replicas) if (r.id === id) return r;
    return null;
  }

  service(name: string): Service | null {
    return this.services.get(name)?.service ?? null;
  }

  names(): string[] {
    return [...this.services.keys()];
  }

  /**
   * Replaces a service one replica at a time: the new replica must be ready before `swap` is told
   * (with the replica it adds and the one it retires, so the gateway can check the new one before
   * it drops the old), then the old one is stopped. When a new replica fails, it is
   * stopped, the old ones keep serving, and the promise rejects with the cause.
   */
  async replace(
    service: Service,
    ports: readonly (number | null)[],
    envFor: (port: number | null) => Record<string, string>,
    swap: (replicas: readonly Replica[], added: Replica | null, retiring: Replica | null) => void | Promise<void>,
  ): Promise<void> {
    const entry = this.services.get(service.name);
    if (!entry) {
      const replicas = this.start(service, ports, envFor);
      await this.ready(service.name);
      for (const replica of replicas) await swap(replicas, replica, null);
      return;
    }
    const old = [...entry.replicas];
    const next: Replica[] = [];
    for (let i = 0; i < ports.length; i++) {
      const port = ports[i] ?? null;
      const fresh = this.replica(service, i + 1, port, envFor(port));
      fresh.start();
      try {
        await waitReady([fresh], startTimeoutMs(service), (l) => this.subscribe(l));
      } catch (error) {
        await fresh.stop();
        throw error;
      }
      next.push(fresh);
      entry.replicas = [...next, ...old.slice(i + 1)];
      try {
        await swap(entry.replicas, fresh, old[i] ?? null);
      } catch (error) {
        next.pop();
        entry.replicas = [...next, ...old.slice(i)];
        await fresh.stop();
        await Promise.resolve(swap(entry.replicas, null, null)).catch(() => {});
        throw error;
      }
      await old[i]?.stop();
    }
    entry.service = service;
    entry.replicas = next;
    await swap(next, null, null);
    await Promise.all(old.slice(ports.length).map((r) => r.stop()));
  }

  /**
   * Adds one replica to a running service (the next index) and waits until it is ready; when it
   * cannot be, it is stopped and taken out again, and the promise rejects with the cause.
   */
  async add(name: string, port: number | null, env: Record<string, string>): Promise<Replica> {
    const entry = this.services.get(name);
    if (!entry) throw new Error(`${name} is not running`);
    const index = Math.max(0, ...entry.replicas.map((r) => r.snapshot().index)) + 1;
    const fresh = this.replica(entry.service, index, port, env);
    entry.replicas = [...entry.replicas, fresh];
    fresh.start();
    try {
      await waitReady([fresh], startTimeoutMs(entry.service), (l) => this.subscribe(l));
    } catch (error) {
      entry.replicas = entry.replicas.filter((r) => r !== fresh);
      await fresh.stop();
      throw error;
    }
    return fresh;
  }

  /** Takes a service's newest replica out of its list (it keeps running until `stop()` is called on it). */
  detach(name: string): Replica | null {
    const entry = this.services.get(name);
    const last = entry?.replicas.at(-1);
    if (!entry || !last || entry.replicas.length < 2) return null;
    entry.replicas = entry.replicas.slice(0, -1);
    return last;
  }

  /** Stops one service's replicas and forgets it. */
  async stop(name: string): Promise<void> {
    const entry = this.services.get(name);
    if (!entry) return;
    this.services.delete(name);
    await Promise.all(entry.replicas.map((r) => r.stop()));
  }

  /** Stops the given services in order (each group in parallel), then every other one. */
  close(order: readonly (readonly string[])[] = []): Promise<void> {
    this.closing ??= (async () => {
      for (const group of order) await Promise.all(group.map((name) => this.stop(name)));
      await Promise.all(this.names().map((name) => this.stop(name)));
      await Promise.all([...this.sinks].map((s) => s.close()));
    })();
    return this.closing;
  }

  snapshot(): ReplicaSnapshot[] {
    return [...this.services.values()].flatMap((e) => e.replicas.map((r) => r.snapshot()));
  }
}
