/**
 * systemd units for processes: a template unit per service (one instance per replica, the instance
 * is the port), and a timer with its service per job. Pure.
 */

import type { Job, Process, Service, Stack } from "../../model/types.js";
import { resourceNamed, serviceNamed } from "../common/index-by-name.js";
import { environmentLines, sec, shellExec, shellWord, unit } from "../common/systemd.js";
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

function commonService(layout: VmLayout, process: Process, env: ProcessEnv, envFile: string): (string | null)[] {
  const cwd = process.cwd === "." ? layout.appDir : `${layout.appDir}/${process.cwd}`;
  return [
    `User=${layout.user}`,
    `Group=${layout.user}`,
    `WorkingDirectory=${cwd}`,
    ...environmentLines(env.plain),
    env.composed.length ? `EnvironmentFile=${envFile}` : null,
    `ExecStart=${shellExec(command(layout, process))}`,
    `CPUQuota=${Math.round(process.size.cpu * 100)}%`,
    `MemoryMax=${process.size.memoryBytes}`,
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    `ReadWritePaths=${layout.appDir} ${layout.dataDir} ${layout.logDir}`,
    `SyslogIdentifier=${unitBase(layout.stack, process.name)}`,
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
    Unit: [`Description=${stack.name} job ${job.name}: ${job.schedule.source}`],
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
