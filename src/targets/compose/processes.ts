/** Compose entries for services and jobs. Pure. */

import type { HealthCheck, Job, Process, Service, Stack } from "../../model/types.js";
import { portIsOpen, seconds } from "../common/edge.js";
import { resourceNamed, serviceNamed } from "../common/index-by-name.js";
import { shellWord } from "../common/systemd.js";
import type { TargetNote } from "../types.js";
import { imageArgs, shellArgs } from "./job-args.js";
import { type EnvKeys, inProject, processEnvironment } from "./values.js";

export type Entry = Record<string, unknown>;

/** A runtime image for a process that has only a command, by the command's program. */
const RUNTIMES: Record<string, string> = {
  node: "node:20-bookworm-slim",
  python: "python:3.12-slim",
  python3: "python:3.12-slim",
  sh: "debian:bookworm-slim",
  bash: "debian:bookworm-slim",
};

function commandText(process: Process): string | null {
  return process.command?.shell ?? process.command?.argv?.join(" ") ?? null;
}

/** Image or build of a process, the project mount for a plain command, or an error. */
function imageOf(process: Process, projectDir: string, notes: TargetNote[], errors: TargetNote[]): Entry {
  const part = `${process.kind === "service" ? "services" : "jobs"}.${process.name}`;
  const entry: Entry = {};
  if (process.image) entry.image = process.image;
  if (process.build)
    entry.build = {
      context: `${projectDir}/${process.build.context}`.replace(/\/\.$/, ""),
      ...(process.build.dockerfile ? { dockerfile: process.build.dockerfile } : {}),
    };
  if (process.image || process.build) return entry;
  const command = commandText(process);
  const program = command?.trim().split(/\s+/)[0] ?? "";
  const runtime = RUNTIMES[program];
  if (!runtime || !command) {
    errors.push({
      part,
      message: "the compose target needs an image, a build, or a command whose program it knows (node, python, sh)",
      instead: "add `image:` or `build:` to the process",
    });
    return entry;
  }
  notes.push({ part, message: "no image or build is given", instead: `the command runs in ${runtime} with the project folder mounted read-only at /app` });
  return {
    image: runtime,
    working_dir: `/app/${process.cwd}`.replace(/\/\.$/, ""),
    volumes: [`${projectDir}:/app:ro`],
  };
}

/** Compose reads `$` as its own interpolation: `$$` is a literal dollar for the container. */
const composeText = (text: string) => text.replace(/\$/g, "$$$$");

/**
 * The container's command: the process's `run` (a shell line through `sh -c`, an argument list as is), a
 * job's arguments after it, and the variables those arguments read. Without `run`, a job's arguments
 * replace its image's command.
 */
function commandOf(stack: Stack, process: Process, keys: EnvKeys, notes: TargetNote[]): { command?: string[]; environment: Record<string, string> } {
  const job = process.kind === "job" ? (process as Job) : null;
  if (job?.args.length) {
    if (!process.command) return { command: imageArgs(stack, job, keys, notes), environment: {} };
    const base = process.command.shell ?? (process.command.argv ?? []).map(shellWord).join(" ");
    const args = shellArgs(stack, job, keys);
    return { command: ["sh", "-c", composeText(`exec ${base} ${args.shellWords.join(" ")}`)], environment: args.environment };
  }
  if (process.command?.shell) return { command: ["sh", "-c", composeText(process.command.shell)], environment: {} };
  if (process.command?.argv) return { command: process.command.argv.map(composeText), environment: {} };
  return { environment: {} };
}

/** The image, command and environment of a process. */
function containerOf(stack: Stack, process: Process, keys: EnvKeys, projectDir: string, notes: TargetNote[], errors: TargetNote[]): Entry {
  const entry: Entry = { ...imageOf(process, projectDir, notes, errors) };
  const { command, environment } = commandOf(stack, process, keys, notes);
  if (command) entry.command = command;
  const all = { ...processEnvironment(stack, process, keys), ...environment };
  entry.environment = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
  return entry;
}

/** A health check the container can run: curl, wget or node, whichever the image has. */
export function healthcheck(health: HealthCheck, port: number): Entry {
  const url = `http://127.0.0.1:${port}${health.path ?? "/"}`;
  const test = `curl -fsS -o /dev/null ${url} || wget -q -O /dev/null ${url} || node -e "fetch('${url}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"`;
  return {
    test: ["CMD-SHELL", test],
    interval: `${seconds(health.intervalMs)}s`,
    timeout: `${seconds(health.timeoutMs)}s`,
    retries: health.unhealthy,
    start_period: `${Math.ceil(health.graceMs / 1000)}s`,
  };
}

function dependsOn(stack: Stack, process: Process): Entry | null {
  const entries: [string, Entry][] = [];
  for (const name of process.dependsOn) {
    const resource = resourceNamed(stack, name);
    if (resource && inProject(resource) && (resource.type === "postgres" || resource.type === "redis")) entries.push([name, { condition: "service_healthy" }]);
    if (resource && inProject(resource) && resource.type === "bucket") entries.push(["s3-buckets", { condition: "service_completed_successfully" }]);
    if (resource && inProject(resource) && resource.type === "table") entries.push(["dynamodb-tables", { condition: "service_completed_successfully" }]);
    const service = serviceNamed(stack, name);
    if (service) entries.push([name, { condition: service.health ? "service_healthy" : "service_started" }]);
  }
  return entries.length ? Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))) : null;
}

function limits(process: Process): Entry {
  return { resources: { limits: { cpus: String(process.size.cpu), memory: `${Math.round(process.size.memoryBytes / 1048576)}M` } } };
}

/** The entry of a service. */
export function serviceEntry(stack: Stack, service: Service, keys: EnvKeys, projectDir: string, notes: TargetNote[], errors: TargetNote[]): Entry {
  const entry: Entry = containerOf(stack, service, keys, projectDir, notes, errors);
  const deps = dependsOn(stack, service);
  if (deps) entry.depends_on = deps;
  if (service.health && service.port !== null) entry.healthcheck = healthcheck(service.health, service.port);
  if (portIsOpen(stack, service.port)) entry.ports = [`${service.port}:${service.port}`];
  entry.restart = { always: "always", "on-failure": "on-failure", never: "no" }[service.restart.policy];
  entry.stop_grace_period = `${seconds(service.stopTimeoutMs)}s`;
  entry.deploy = { replicas: service.replicas, ...limits(service) };
  return entry;
}

/** The entry of a job: not started by `up` (profile `jobs`); host timers run it with `docker compose run`. */
export function jobEntry(stack: Stack, job: Job, keys: EnvKeys, projectDir: string, notes: TargetNote[], errors: TargetNote[]): Entry {
  const entry: Entry = { ...containerOf(stack, job, keys, projectDir, notes, errors), profiles: ["jobs"] };
  const deps = dependsOn(stack, job);
  if (deps) entry.depends_on = deps;
  entry.restart = "no";
  entry.deploy = limits(job);
  return entry;
}
