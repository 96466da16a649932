/**
 * A stack running on this machine: local resources, the supervisor, the gateway and the scheduler,
 * started in dependency order (each service waits for the health of what it needs) and stopped in
 * reverse. A part that cannot start is reported with its cause; the rest keeps running.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Job, Process, Resource, Service, Stack } from "../../model/types.js";
import type { RequestWindows } from "../alarms/samples.js";
import { TrafficWindow, windowsFromTraffic } from "../alarms/traffic.js";
import { Redactor } from "../env/redact.js";
import { type RenderInputs, renderArgs, renderProcessEnv, renderValue } from "../env/render.js";
import { loadSecrets } from "../env/secrets.js";
import type { Gateway } from "../gateway/index.js";
import { describeReport } from "../http/guard.js";
import { freePort, portIsFree } from "../ports.js";
import { foldersOutside } from "../project-folder.js";
import { type LocalResource, ResourceError, startResource } from "../resources/index.js";
import { type Clock, systemClock } from "../scheduler/clock.js";
import { startJobRun } from "../scheduler/job-run.js";
import { Scheduler } from "../scheduler/scheduler.js";
import { type LogListener, LogSink } from "../supervisor/log-sink.js";
import type { Replica } from "../supervisor/replica.js";
import { Supervisor, startTimeoutMs } from "../supervisor/supervisor.js";
import { startWatchdog, type Watchdog } from "../supervisor/watchdog.js";
import { consoleAddress } from "../telemetry/console-address.js";
import { type RequestSnapshot, readRequests, summarize } from "../telemetry/snapshot.js";
import type { Telemetry } from "../telemetry/telemetry.js";
import { Monitor } from "./monitor.js";
import { startOrder } from "./order.js";
import { type StatePaths, statePaths } from "./state-dir.js";
import { buildStaticSite } from "./static-build.js";

export const HOST = "127.0.0.1";

/** How long a stop waits for the gateway to drain before stopping the services anyway. */
const GATEWAY_CLOSE_WAIT_MS = 1000;

/** A part that could not start, and why. */
export interface Problem {
  readonly name: string;
  readonly message: string;
  readonly hint?: string;
}

/** A problem that stops the whole stack from starting (missing secrets, edge port taken). */
export class StackError extends Error {
  constructor(
    message: string,
    readonly hint: string | null = null,
  ) {
    super(message);
    this.name = "StackError";
  }
}

export interface RunnerOptions {
  /** Environment variables of `cairn up` (secrets may come from there). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onLog: LogListener;
  readonly clock?: Clock;
  /** Wait for the gateway to find routed services healthy before `start()` resolves (default true). */
  readonly waitGateway?: boolean;
  /** Where the gateway counts and traces requests (the console reads it); none when absent. */
  readonly telemetry?: Telemetry;
  /** The console's address (`consoleAddress`): every process gets it as OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly otlpEndpoint?: string | null;
  /** How often replicas are measured, scaling decided and alarms evaluated (default `MONITOR_INTERVAL_MS`). */
  readonly monitorIntervalMs?: number;
}

export class StackRunner {
  readonly paths: StatePaths;
  readonly problems: Problem[] = [];
  /** Things the user should know that are not problems (what the local run leaves out, a moved address). */
  readonly notices: string[] = [];
  private watchdog: Watchdog | null = null;
  private supervisor: Supervisor | null = null;
  private gateway: Gateway | null = null;
  private scheduler: Scheduler | null = null;
  private readonly resources = new Map<string, LocalResource>();
  private secrets: ReadonlyMap<string, string> = new Map();
  private edgeUrl: string | null = null;
  /** Each service's own address at the gateway (its port), which `${service.url}` points to. */
  private readonly addresses = new Map<string, number>();
  private monitor: Monitor | null = null;
  /** Reloads and scaling changes, one at a time: both change a service's replicas. */
  private changes: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | null = null;
  private runSequence = 0;
  /** The web console's port when `cairn up` serves one (see src/console/address.ts), else null. */
  consolePort: number | null = null;
  private notes: LogSink;
  /** The stack's secret values and generated passwords, taken out of every log line and output. */
  readonly redactor = new Redactor();
  /** The live view, with secrets taken out. */
  private readonly onLog: LogListener;

  constructor(
    public stack: Stack,
    private readonly options: RunnerOptions,
  ) {
    this.paths = statePaths(stack.root, stack.environment.name);
    mkdirSync(this.paths.logs, { recursive: true });
    this.onLog = (line) => options.onLog({ ...line, text: this.redactor.redact(line.text) });
    this.notes = new LogSink(join(this.paths.logs, "cairn-events.log"), "cairn", options.onLog, undefined, this.redactor.redact);
  }

  /** Notes a line in the live view and the runner's own log. */
  note(text: string): void {
    this.notes.line("cairn", text);
  }

  get url(): string | null {
    return this.edgeUrl;
  }

  /** Starts everything; rejects with a `StackError` only when nothing can start. */
  async start(): Promise<void> {
    const { stack } = this;
    const secrets = await loadSecrets(stack, this.options.env, this.paths.dir);
    if (secrets.badLines.length) this.note(`${secrets.file}: lines ${secrets.badLines.join(", ")} are not NAME=value and were ignored`);
    if (secrets.missing.length) {
      const list = secrets.missing.map((m) => `${m.name} (used by ${m.usedBy.join(", ")})`).join(", ");
      throw new StackError(
        `missing secret${secrets.missing.length > 1 ? "s" : ""}: ${list}`,
        `Put NAME=value lines in ${secrets.file} (never commit it) or export them, then run again.`,
      );
    }
    this.secrets = secrets.values;
    this.redactor.addAll(secrets.values);
    const outside = await foldersOutside(stack);
    if (outside.length)
      throw new StackError(
        `${outside.map((o) => `${o.resource} reads ${o.path}, which is ${o.real}, outside the project`).join("; ")}`,
        "Keep seeds and static folders inside the stack file's folder, or set `outside_project: true` on the resource if it is meant.",
      );
    if (stack.routes.length > 0) {
      if (!(await portIsFree(stack.edge.port, HOST))) {
        throw new StackError(
          `the edge port ${stack.edge.port} is already in use by another program`,
          "Stop that program, or set another `edge: { port: N }` for this environment.",
        );
      }
      this.edgeUrl = `http://localhost:${stack.edge.port}`;
    }
    this.watchdog = startWatchdog();
    this.supervisor = new Supervisor({
      root: stack.root,
      logDir: this.paths.logs,
      host: HOST,
      watchdog: this.watchdog,
      onLog: this.options.onLog,
      redact: this.redactor.redact,
    });
    if (this.edgeUrl) {
      // Loaded only when needed: the proxy's modules cost a few hundred milliseconds at start.
      const { createGateway, notAppliedLocally } = await import("../gateway/index.js");
      const unapplied = notAppliedLocally(stack.edge);
      if (unapplied) this.notice(unapplied);
      // Checks of a starting replica every 100 ms: callers wait for the gateway to route to it.
      this.gateway = createGateway({
        stack,
        host: HOST,
        port: stack.edge.port,
        accessLog: this.paths.accessLog,
        startupIntervalMs: 100,
        onError: (report) => this.note(describeReport(report)),
        telemetry: this.options.telemetry,
      });
      this.gateway.onHealthChange((c) => this.note(`gateway: ${c.target} ${c.healthy ? "healthy" : `unhealthy${c.error ? ` (${c.error})` : ""}`}`));
      await this.gateway.start();
      for (const service of stack.services) await this.openAddress(service);
    }
    const failed = new Set<string>();
    for (const group of startOrder(stack)) {
      await Promise.all(group.map((name) => this.startPart(name, failed)));
    }
    if (this.options.waitGateway !== false) await this.waitRouted(failed);
    this.scheduler = new Scheduler({
      jobs: stack.jobs,
      clock: this.options.clock ?? systemClock,
      statePath: this.paths.jobs,
      launch: (job, slot, runDate, extra) => this.launchJob(job, slot, runDate, extra),
      note: (job, text) => this.note(`job ${job}: ${text}`),
    });
    this.scheduler.start();
    this.monitor = new Monitor(this, {
      clock: this.options.clock ?? systemClock,
      intervalMs: this.options.monitorIntervalMs,
      actuator: { scaleTo: (name, to) => this.scaleTo(name, to) },
      // The error_rate and latency alarms read the gateway's last minute of traffic, when it is counted.
      requests: this.requestWindows(),
    });
    this.monitor.autoscaler.onDecision((d) => {
      if (d.outcome === "scaling") this.note(`scaling ${d.service} from ${d.from} to ${d.to} replicas: ${d.reason}`);
      else if (d.outcome === "failed") this.note(`scaling ${d.service} to ${d.to} replicas failed: ${d.error}`);
    });
    this.monitor.alarms.onChange((c) =>
      this.note(`alarm ${c.status.alarm}${c.status.subject ? ` (${c.status.subject})` : ""}: ${c.from} -> ${c.status.state}`),
    );
    this.monitor.start();
  }

  /** Runs `change` after every change started before it (reloads, scaling). */
  exclusive<T>(change: () => Promise<T>): Promise<T> {
    const next = this.changes.then(change);
    this.changes = next.catch(() => {});
    return next;
  }

  /**
   * Brings a running service to `to` replicas, for the autoscaler: a new replica is ready, and routed
   * healthy by the gateway, before the next; a removed one leaves the gateway first, then stops gracefully.
   */
  scaleTo(name: string, to: number): Promise<void> {
    return this.exclusive(async () => {
      const supervisor = this.supervisor;
      const service = supervisor?.service(name);
      if (!supervisor || !service || this.closing) return;
      while (supervisor.replicas(name).length < to) {
        const port = service.port === null ? null : await freePort(HOST);
        const replica = await supervisor.add(name, port, this.envFor(service, port));
        this.route(name, supervisor.replicas(name));
        if (this.gateway && port !== null) await this.gateway.waitHealthy(name, replica.id, startTimeoutMs(service));
      }
      while (supervisor.replicas(name).length > to) {
        const retired = supervisor.detach(name);
        if (!retired) break;
        this.route(name, supervisor.replicas(name));
        await retired.stop();
      }
    });
  }

  private async startPart(name: string, failed: Set<string>): Promise<void> {
    const blocked = [...this.stack.services, ...this.stack.jobs].find((p) => p.name === name)?.dependsOn.filter((d) => failed.has(d)) ?? [];
    if (blocked.length) {
      failed.add(name);
      this.problem({ name, message: `not started: it depends on ${blocked.join(", ")}, which did not start` });
      return;
    }
    const resource = this.stack.resources.find((r) => r.name === name);
    try {
      if (resource) await this.startResource(resource);
      else await this.startService(name);
    } catch (error) {
      failed.add(name);
      const hint = error instanceof ResourceError ? error.hint : undefined;
      this.problem({ name, message: (error as Error).message, hint });
    }
  }

  private problem(problem: Problem): void {
    this.problems.push(problem);
    this.note(`${problem.name}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ""}`);
  }

  /**
   * Gives a service its own address at the gateway: its declared port when free, else any. Callers
   * reach every healthy replica there, and keep reaching it when a reload replaces them.
   */
  async openAddress(service: Service): Promise<void> {
    const gateway = this.gateway;
    if (!gateway || service.port === null || this.addresses.has(service.name)) return;
    const owner = this.claimed(service.name, service.port);
    let port: number;
    try {
      if (owner) throw new Error(owner);
      port = await gateway.listenService(service.name, service.port);
    } catch {
      port = await gateway.listenService(service.name, 0);
      this.notice(`${service.name}: port ${service.port} is ${owner ?? "taken by another program"}, so its address is ${HOST}:${port}`);
    }
    this.addresses.set(service.name, port);
  }

  /**
   * Who in this stack already has `port` (the edge, or a service before this one in the file), in words;
   * null when no one does. Services that share a port (each in its own container elsewhere) get their own
   * here, through PORT.
   */
  private claimed(name: string, port: number): string | null {
    if (this.edgeUrl && port === this.stack.edge.port) return "the gateway's (edge.port)";
    for (const other of this.stack.services) {
      if (other.name === name) return null;
      if (other.port === port) return `also ${other.name}'s`;
    }
    return null;
  }

  /** Forgets a removed service's address (the gateway closed it on reload). */
  forgetAddress(name: string): void {
    this.addresses.delete(name);
  }

  /** A service's own address at the gateway (its port), if it has one. */
  address(name: string): number | null {
    return this.addresses.get(name) ?? null;
  }

  private notice(text: string): void {
    this.notices.push(text);
    this.note(text);
  }

  /** What templates can point to right now. */
  inputs(runDate?: string): RenderInputs {
    const services = new Map<string, { host: string; port: number }>();
    for (const name of this.supervisor?.names() ?? []) {
      const port = this.addresses.get(name) ?? this.supervisor?.replicas(name)[0]?.port;
      if (port) services.set(name, { host: HOST, port });
    }
    const resources = new Map<string, Readonly<Record<string, string>>>();
    for (const [name, r] of this.resources) resources.set(name, r.attributes);
    return {
      stack: this.stack,
      resources,
      services,
      secrets: this.secrets,
      edgeUrl: this.edgeUrl,
      runDate,
      otlpEndpoint: this.options.otlpEndpoint ?? (this.consolePort ? consoleAddress(this.consolePort) : null),
    };
  }

  private async startResource(resource: Resource): Promise<void> {
    if (resource.type === "external") {
      const url = renderValue(resource.url, this.inputs());
      if (!url) throw new Error(`external resource has no URL: set the secret or variable it names`);
      this.resources.set(resource.name, passive(resource, { url }));
      return;
    }
    if (resource.type === "static") {
      const route = this.stack.routes.find((r) => r.to === resource.name);
      const url = `${this.edgeUrl ?? `http://${HOST}`}${route && route.path !== "/" ? route.path : ""}`;
      const env = Object.fromEntries(resource.buildEnv.map((v) => [v.name, renderValue(v.value, this.inputs())]));
      const sink = new LogSink(join(this.paths.logs, `${resource.name}.build.log`), `${resource.name}`, this.options.onLog, undefined, this.redactor.redact);
      try {
        await buildStaticSite(resource, this.stack.root, env, sink);
      } finally {
        await sink.close();
      }
      this.resources.set(resource.name, passive(resource, { url }));
      return;
    }
    if (resource.placement !== "local") {
      throw new Error(`placement is "${resource.placement}" in this environment; only local resources start with cairn up`);
    }
    const local = await startResource(resource, {
      dataDir: this.paths.resources(resource.name),
      stack: this.stack.name,
      environment: this.stack.environment.name,
      host: HOST,
      root: this.stack.root,
      region: this.stack.environment.region,
      log: (line) => this.onLog({ source: resource.name, stream: "out", text: line, time: new Date() }),
    });
    // A generated password (Redis, Postgres) is a secret too.
    for (const [attribute, value] of Object.entries(local.attributes)) this.redactor.addUrlPassword(`${resource.name}.${attribute}`, value);
    this.resources.set(resource.name, local);
  }

  /** Ports for a service's replicas: the declared port for the first when no gateway hides it. */
  async ports(name: string, count: number, declared: number | null): Promise<(number | null)[]> {
    if (declared === null) return Array.from({ length: count }, () => null);
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const owner = i === 0 && !this.gateway ? this.claimed(name, declared) : null;
      if (i === 0 && !this.gateway && owner === null) {
        if (!(await portIsFree(declared, HOST)))
          throw new Error(`port ${declared} is already in use by another program; stop it or change services.${name}.port`);
        ports.push(declared);
      } else {
        const port = await freePort(HOST);
        if (owner) this.notice(`${name}: port ${declared} is ${owner}, so it listens on ${port} here (PORT=${port})`);
        ports.push(port);
      }
    }
    return ports;
  }

  envFor(process: Process, port: number | null, runDate?: string): Record<string, string> {
    const { env, unresolved } = renderProcessEnv(process, this.inputs(runDate), port);
    if (unresolved.length) this.note(`${process.name}: no value for ${unresolved.map((u) => `\${${u.reference}}`).join(", ")}`);
    return env;
  }

  private async startService(name: string): Promise<void> {
    const service = this.stack.services.find((s) => s.name === name);
    const supervisor = this.supervisor;
    if (!service || !supervisor) return;
    const ports = await this.ports(name, service.replicas, service.port);
    const replicas = supervisor.start(service, ports, (port) => this.envFor(service, port));
    this.route(name, replicas);
    await supervisor.ready(name);
    // Its callers go through the gateway (`${name.url}`): they start once the gateway routes to it.
    const gateway = this.gateway;
    if (gateway && service.port !== null)
      await Promise.all(replicas.map((r) => gateway.waitHealthy(name, r.id, startTimeoutMs(service)).catch(() => undefined)));
  }

  /** Waits until the gateway itself has found every routed replica healthy (it checks on its own). */
  private async waitRouted(failed: ReadonlySet<string>): Promise<void> {
    const gateway = this.gateway;
    if (!gateway) return;
    const routed = new Set(this.stack.routes.map((r) => r.to));
    const waits = this.stack.services
      .filter((s) => routed.has(s.name) && s.port !== null && !failed.has(s.name))
      .flatMap((s) =>
        (this.supervisor?.replicas(s.name) ?? []).map((r) =>
          gateway
            .waitHealthy(s.name, r.id, 120_000)
            .catch((error: Error) => this.problem({ name: s.name, message: `the gateway does not route to it: ${error.message}` })),
        ),
      );
    await Promise.all(waits);
  }

  /** Tells the gateway which replicas serve a service. */
  route(name: string, replicas: readonly Replica[]): void {
    const targets = replicas.filter((r) => r.port !== null).map((r) => ({ id: r.id, host: HOST, port: r.port ?? 0 }));
    if (this.gateway && targets.length) this.gateway.setTargets(name, targets);
  }

  private launchJob(job: Job, slot: Date | null, runDate: string, extra: readonly string[]) {
    const inputs = this.inputs(runDate);
    return startJobRun(
      {
        job,
        root: this.stack.root,
        logDir: this.paths.jobLogs(job.name),
        env: this.envFor(job, null, runDate),
        // Arguments given to `cairn run JOB -- ARGS` replace the job's own (such as its ${run.date}).
        args: extra.length > 0 ? [...extra] : renderArgs(job.args, inputs),
        slot,
        startedAt: (this.options.clock ?? systemClock).now(),
        watchdog: this.watchdog ?? startWatchdog(),
        onLog: this.options.onLog,
        redact: this.redactor.redact,
      },
      ++this.runSequence,
    );
  }

  /** Runs a job now, as `cairn run` asks. */
  runJob(name: string, args: readonly string[]) {
    if (!this.scheduler) throw new Error("the stack is not running");
    return this.scheduler.runNow(name, args);
  }

  get parts() {
    return {
      supervisor: this.supervisor,
      gateway: this.gateway,
      scheduler: this.scheduler,
      resources: this.resources,
      watchdog: this.watchdog,
      monitor: this.monitor,
    };
  }

  /** The request windows of the last minute from the telemetry, or none when requests are not counted. */
  private requestWindows(): () => RequestWindows | null {
    const telemetry = this.options.telemetry;
    if (!telemetry) return () => null;
    const minute = new TrafficWindow<RequestSnapshot>(60_000);
    return () => {
      const now = readRequests(telemetry);
      return windowsFromTraffic(summarize(now, minute.push(now)).services);
    };
  }

  /** Stops jobs, the gateway, services in reverse start order, then resources. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.monitor?.close();
      await this.scheduler?.close();
      const order = startOrder(this.stack).reverse();
      // The gateway drains requests in flight; idle client connections must not hold the stop.
      const gatewayClosed = this.gateway?.close().catch(() => {});
      await Promise.race([gatewayClosed, new Promise((r) => setTimeout(r, GATEWAY_CLOSE_WAIT_MS).unref())]);
      await this.supervisor?.close(order);
      for (const group of order) {
        await Promise.all(
          group.map((name) =>
            this.resources
              .get(name)
              ?.close()
              .catch((e: Error) => this.note(`${name}: ${e.message}`)),
          ),
        );
      }
      await this.notes.close();
      this.watchdog?.close();
    })();
    return this.closing;
  }
}

function passive(resource: Resource, attributes: Record<string, string>): LocalResource {
  return { name: resource.name, type: resource.type, attributes, pid: null, healthy: async () => true, close: async () => {} };
}
