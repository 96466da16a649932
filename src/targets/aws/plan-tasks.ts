/** Services and jobs as Fargate tasks in the plan. */

import { fargateSize } from "../../model/fargate.js";
import type { HealthCheck, Job, Process, Service, Stack } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import type { PlanHealthCheck, PlanJob, PlanService, PlanTask, PlanValue } from "./cdk/plan-types.js";
import { planValue } from "./values.js";

export const pascal = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join("");

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
const quote = (text: string) => (SAFE.test(text) ? text : `'${text.replaceAll("'", `'"'"'`)}'`);

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function command(stack: Stack, process: Process, warnings: TargetNote[]): Pick<PlanTask, "entryPoint" | "command"> {
  const args = process.kind === "job" ? process.args : [];
  const where = `jobs.${process.name}.args`;
  const rendered = args.map((arg) => {
    if (arg.length === 1 && arg[0]?.kind === "var" && arg[0].name === "run.date" && process.kind === "job") return `"$(TZ=${process.timezone} date +%Y-%m-%d)"`;
    const value = planValue(stack, process, "args", arg, []);
    if (value.kind === "text" && value.parts.every((p) => typeof p === "string")) return quote(value.parts.join(""));
    warnings.push({ part: where, message: "an argument built from a secret or a created resource", instead: "an empty argument: pass it as a variable" });
    return "''";
  });
  if (process.command?.shell) return { entryPoint: ["/bin/sh", "-c"], command: [["exec", process.command.shell, ...rendered].join(" ")] };
  if (process.command?.argv) return { entryPoint: [...process.command.argv], command: rendered.length ? rendered : null };
  return { entryPoint: null, command: rendered.length ? rendered : null };
}

function task(stack: Stack, process: Process, warnings: TargetNote[]): PlanTask {
  const size = fargateSize(process.size.cpu, process.size.memoryBytes);
  if (size.roundedUp)
    warnings.push({
      part: `${process.kind}s.${process.name}.size`,
      message: `Fargate has no task of ${process.size.cpu} vCPU and ${Math.ceil(process.size.memoryBytes / 1024 ** 2)} MiB`,
      instead: `rounded up to ${size.cpu / 1024} vCPU and ${size.memoryMiB} MiB`,
    });
  let image: PlanTask["image"];
  if (process.image) image = { kind: "registry", name: process.image };
  else {
    image = { kind: "ecr", repository: `${stack.name}/${process.name}`.toLowerCase(), tag: "latest" };
    warnings.push({
      part: `${process.kind}s.${process.name}.image`,
      message: process.build ? "ECS runs images: the source is not built by the deployment" : "no image: ECS runs containers only",
      instead: `an ECR repository ${image.repository}; push the image there (see the README)`,
    });
  }
  const environment: Record<string, PlanValue> = {
    CAIRN_ENV: { kind: "text", parts: [stack.environment.name] },
    CAIRN_STACK: { kind: "text", parts: [stack.name] },
    // The same process variables as locally: the port to listen on, on every interface of the task.
    ...(process.kind === "service" && process.port !== null ? { PORT: { kind: "text" as const, parts: [String(process.port)] } } : {}),
    ...(process.kind === "service" ? { HOST: { kind: "text" as const, parts: ["0.0.0.0"] } } : {}),
    ...(process.kind === "service" && process.basePath ? { BASE_PATH: { kind: "text" as const, parts: [process.basePath.path] } } : {}),
  };
  for (const variable of process.env) environment[variable.name] = planValue(stack, process, variable.name, variable.value, warnings);
  const kinds = new Map(stack.resources.map((r) => [r.name, r.type]));
  return {
    name: process.name,
    id: pascal(process.name),
    image,
    ...command(stack, process, warnings),
    cpu: size.cpu,
    memoryMiB: size.memoryMiB,
    environment: Object.fromEntries(Object.entries(environment).sort(([a], [b]) => (a < b ? -1 : 1))),
    uses: process.uses.filter((n) => kinds.get(n) === "postgres" || kinds.get(n) === "redis"),
    grants: process.uses.filter((n) => kinds.get(n) === "bucket" || kinds.get(n) === "table" || kinds.get(n) === "static"),
    calls: process.dependsOn.filter((n) => stack.services.some((s) => s.name === n)),
    logGroup: `${stack.logs.group}/${process.name}`,
  };
}

/** ALB health checks: intervals 5-300 s, timeout 2-120 s and below the interval, thresholds 2-10. */
function healthCheck(service: Service, health: HealthCheck, warnings: TargetNote[]): PlanHealthCheck {
  const interval = clamp(Math.round(health.intervalMs / 1000), 5, 300);
  const timeout = clamp(Math.round(health.timeoutMs / 1000), 2, Math.min(120, interval - 1));
  const plan = {
    path: health.path ?? "/",
    intervalSeconds: interval,
    timeoutSeconds: timeout,
    healthyThreshold: clamp(health.healthy, 2, 10),
    unhealthyThreshold: clamp(health.unhealthy, 2, 10),
    codes: `${health.status[0]}-${health.status[1]}`,
  };
  const asked = [health.intervalMs / 1000, health.timeoutMs / 1000, health.healthy, health.unhealthy];
  const given = [plan.intervalSeconds, plan.timeoutSeconds, plan.healthyThreshold, plan.unhealthyThreshold];
  if (asked.some((v, i) => v !== given[i]))
    warnings.push({
      part: `services.${service.name}.health`,
      message: "outside what a load balancer health check allows (interval 5-300 s, timeout 2-120 s, thresholds 2-10)",
      instead: `every ${interval} s, timeout ${timeout} s, healthy after ${plan.healthyThreshold}, unhealthy after ${plan.unhealthyThreshold}`,
    });
  if (!health.path) warnings.push({ part: `services.${service.name}.health`, message: "a load balancer checks health over HTTP", instead: "HTTP GET /" });
  return plan;
}

export function planService(stack: Stack, service: Service, warnings: TargetNote[]): PlanService {
  const stop = Math.round(service.stopTimeoutMs / 1000);
  if (stop > 120)
    warnings.push({ part: `services.${service.name}.stop_timeout`, message: "Fargate waits at most 120 s for a container to stop", instead: "120 s" });
  const scale = service.scale;
  return {
    ...task(stack, service, warnings),
    port: service.port,
    desiredCount: service.replicas,
    healthCheck: service.health && service.port ? healthCheck(service, service.health, warnings) : null,
    graceSeconds: Math.round((service.health?.graceMs ?? 0) / 1000),
    stickinessSeconds: service.stickyMs === null ? null : clamp(Math.round(service.stickyMs / 1000), 1, 604_800),
    stopTimeoutSeconds: clamp(stop, 2, 120),
    scaling: scale
      ? {
          min: scale.min,
          max: scale.max,
          cpu: scale.cpu,
          memory: scale.memory,
          requestsPerTarget: scale.requestsPerMinute,
          scaleOutCooldownSeconds: Math.round(scale.cooldownOutMs / 1000),
          scaleInCooldownSeconds: Math.round(scale.cooldownInMs / 1000),
        }
      : null,
    public: service.public && service.port !== null,
    discoverable: service.port !== null && [...stack.services, ...stack.jobs].some((p) => p.dependsOn.includes(service.name)),
  };
}

const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Five-field cron to EventBridge Scheduler's six fields, where one of day-of-month and day-of-week is `?`. */
export function schedulerExpression(cron: string): { expression: string; both: boolean } {
  const [minute = "0", hour = "*", day = "*", month = "*", weekday = "*"] = cron.trim().split(/\s+/);
  const named = weekday.replace(/\d+/g, (n) => DAYS[Number(n) % 7] ?? n);
  if (weekday === "*") return { expression: `cron(${minute} ${hour} ${day} ${month} ? *)`, both: false };
  if (day === "*") return { expression: `cron(${minute} ${hour} ? ${month} ${named} *)`, both: false };
  return { expression: `cron(${minute} ${hour} ${day} ${month} ? *)`, both: true };
}

export function planJob(stack: Stack, job: Job, warnings: TargetNote[]): PlanJob {
  const where = `jobs.${job.name}`;
  const schedule = job.schedule ? schedulerExpression(job.schedule.cron) : null;
  if (!job.schedule)
    warnings.push({
      part: `${where}.schedule`,
      message: "a job without a schedule runs on demand",
      instead: "a task definition only: start it with aws ecs run-task",
    });
  if (schedule?.both)
    warnings.push({ part: `${where}.schedule`, message: "EventBridge cannot match a day of the month or a weekday", instead: "the day of the month only" });
  if (job.timeoutMs !== null)
    warnings.push({ part: `${where}.timeout`, message: "ECS has no time limit for a task", instead: "no limit: the job must stop itself" });
  if (job.concurrency !== "allow")
    warnings.push({
      part: `${where}.concurrency`,
      message: `EventBridge Scheduler cannot ${job.concurrency} overlapping runs`,
      instead: "a run starts on schedule even if the previous one still runs",
    });
  if (job.retries > 0)
    warnings.push({
      part: `${where}.retries`,
      message: "EventBridge Scheduler retries a run that failed to start, not one that failed",
      instead: `${job.retries} retries of the launch`,
    });
  return {
    ...task(stack, job, warnings),
    schedule: schedule?.expression ?? null,
    timezone: job.timezone,
    retries: Math.min(185, job.retries),
    // A persistent job's launch is retried for a day; otherwise for an hour.
    maxEventAgeSeconds: job.persistent ? 86_400 : 3_600,
  };
}
