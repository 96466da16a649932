/**
 * systemd units for processes: a template unit per service (one instance per replica, the instance
 * is the port), and a timer with its service per job. Pure.
 */

import type { Job, Process, Service, Stack } from "../../model/types.js";
import { resourceNamed, serviceNamed } from "../common/index-by-name.js";
import { environmentLines, sec, shellExec, shellWord, unit, unitText } from "../common/systemd.js";
import type { TargetNote } from "../types.js";
import { type ProcessEnv, renderShell, Store } from "./env.js";
import { instances, onMachine, redisUnit, unitBase, type VmLayout } from "./layout.js";

/** Units of the data stores and services a process needs on this machine. */
function dependencyUnits(layout: VmLayout, process: Process): string[] {
  const { stack } = layout;
  const units: string[] = [];
  for (const name of process.dependsOn) {
    const resource = resourceNamed(stack, name);
    if (resource && onMachine(resource.placement)) {
      if (resource.type === "postgres") units.push("postgresql.service");
      if (resource.type === "redis") units.push(redisUnit(stack, resource));
    }
    const service = serviceNamed(stack, name);
    if (service) units.push(...instances(layout, service));
  }
  return [...new Set(units)];
}

/** The command, run by the shell from the working directory, with arguments for jobs. */
function command(layout: VmLayout, process: Process): string {
  const base = process.command?.shell ?? (process.command?.argv ?? []).map(shellWord).join(" ");
  if (process.kind !== "job" || process.args.length === 0) return `exec ${base}`;
  const store = new Store();
  const date = `$(TZ=${process.timezone} date +%F)`;
  const args = process.args.map((arg) => `"${renderShell(layout, arg, store, date)}"`);
  return `exec ${base} ${args.join(" ")}`;
}

/**
 * Absolute paths under /home that a process's variables name: ProtectHome would hide them, so the
 * unit relaxes it for that process and lets it write there.
 */
export function homePaths(env: ProcessEnv): string[] {
  const paths = env.plain.flatMap(([, value]) => [...value.matchAll(/(?:^|[\s=:,;])(\/home\/[^\s:,;"'`$\\]+)/g)].map((m) => m[1] as string));
  return [...new Set(paths)].sort();
}

/**
 * Settings every process unit shares. The working directory is the release the process runs (a
 * replica's slot, or `current` for jobs), resolved once at start, so a later switch of the link
 * never moves a running process; the release's own `.venv` and `node_modules/.bin` come first on
 * its PATH.
 */
function commonService(layout: VmLayout, process: Process, env: ProcessEnv, envFile: string): (string | null)[] {
  const root = process.kind === "service" ? `${layout.slotsDir}/%p-%i` : layout.currentDir;
  const enter = process.cwd === "." ? "" : ` && cd ${shellWord(process.cwd)}`;
  const start = `cd -P . && PATH="$PWD/.venv/bin:$PWD/node_modules/.bin:$PATH"${enter} && ${command(layout, process)}`;
  const home = homePaths(env);
  // Caps only when the file sets a size: a default cap starves a process that loads its data in memory.
  const caps = process.size.defaulted ? [] : [`CPUQuota=${Math.round(process.size.cpu * 100)}%`, `MemoryMax=${process.size.memoryBytes}`];
  return [
    `User=${layout.user}`,
    `Group=${layout.user}`,
    `WorkingDirectory=${root}`,
    ...environmentLines(env.plain),
    env.composed.length ? `EnvironmentFile=${envFile}` : null,
    `ExecStart=${shellExec(start)}`,
    ...caps,
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    home.length ? "ProtectHome=no" : "ProtectHome=yes",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    `ReadWritePaths=${layout.appDir} ${layout.dataDir} ${layout.logDir}${home.map((p) => ` -${p}`).join("")}`,
    `SyslogIdentifier=${unitBase(layout.stack, process.name)}`,
  ];
}

/** Warnings for processes whose variables name paths under /home. */
export function homeNotes(process: Process, env: ProcessEnv): TargetNote[] {
  const home = homePaths(env);
  if (home.length === 0) return [];
  return [
    {
      part: `${process.kind === "service" ? "services" : "jobs"}.${process.name}.env`,
      message: `its variables name ${home.join(", ")}, under /home, which ProtectHome=yes would hide`,
      instead: "ProtectHome=no for this process, with write access to those paths; prefer the data folder of the stack",
    },
  ];
}

/** The template unit of a service; `%i` is the replica's port. */
export function serviceUnit(layout: VmLayout, service: Service, env: ProcessEnv, envFile: string): string {
  const deps = dependencyUnits(layout, service);
  const hard = deps.filter((d) => !d.startsWith(`${layout.stack.name}-`));
  const restart = { always: "always", "on-failure": "on-failure", never: "no" }[service.restart.policy];
  return unit({
    Unit: [
      `Description=${layout.stack.name} ${service.name}${service.port !== null ? " on port %i" : " replica %i"}`,
      `After=${["network-online.target", ...deps].join(" ")}`,
      "Wants=network-online.target",
      hard.length ? `Requires=${hard.join(" ")}` : null,
      `StartLimitIntervalSec=${sec(service.restart.windowMs)}`,
      `StartLimitBurst=${service.restart.maxRestarts}`,
    ],
    Service: [
      "Type=exec",
      service.port !== null ? "Environment=PORT=%i" : "Environment=REPLICA=%i",
      ...commonService(layout, service, env, envFile),
      `Restart=${restart}`,
      `RestartSec=${sec(service.restart.delayMs)}`,
      `TimeoutStopSec=${sec(service.stopTimeoutMs)}`,
      service.errorLog ? `StandardError=append:${layout.logDir}/${service.name}-errors.log` : null,
    ],
    Install: ["WantedBy=multi-user.target"],
  });
}

/** The service a job's timer starts: one run at a time (a timer never starts a unit that is still active). */
export function jobUnit(layout: VmLayout, job: Job, env: ProcessEnv, envFile: string): string {
  const deps = dependencyUnits(layout, job);
  return unit({
    Unit: [
      `Description=${layout.stack.name} job ${job.name}`,
      `After=${["network-online.target", ...deps].join(" ")}`,
      "Wants=network-online.target",
      // A failed run is restarted `retries` times; the start limit ends the attempts of one run.
      job.retries > 0 ? `StartLimitIntervalSec=${sec((job.retries + 1) * ((job.timeoutMs ?? 3_600_000) + 30_000))}` : null,
      job.retries > 0 ? `StartLimitBurst=${job.retries + 1}` : null,
    ],
    Service: [
      "Type=exec",
      ...commonService(layout, job, env, envFile),
      job.timeoutMs !== null ? `RuntimeMaxSec=${sec(job.timeoutMs)}` : null,
      job.retries > 0 ? "Restart=on-failure" : null,
      job.retries > 0 ? "RestartSec=30s" : null,
    ],
  });
}

/** The timer of a job; null for a job without a schedule (run by hand). */
export function jobTimer(stack: Stack, job: Job): string | null {
  if (!job.schedule) return null;
  return unit({
    Unit: [`Description=${stack.name} job ${job.name}: ${unitText(job.schedule.source)}`],
    Timer: [`OnCalendar=${job.schedule.calendar}`, `Persistent=${job.persistent ? "true" : "false"}`, `Unit=${unitBase(stack, job.name)}.service`],
    Install: ["WantedBy=timers.target"],
  });
}

/** What systemd timers cannot do as the file asks. */
export function jobNotes(job: Job): TargetNote[] {
  if (job.concurrency === "forbid") return [];
  return [
    {
      part: `jobs.${job.name}.concurrency`,
      message: `a systemd timer never starts a run while the previous one is active, so concurrency "${job.concurrency}" cannot be honoured`,
      instead: "one run at a time: a run due while the previous one is active is skipped",
    },
  ];
}
