/** A scheduled job as a CronJob. */
import type { Job, Stack } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import { container } from "./container.js";
import type { SecretKeys } from "./env.js";
import { metadata, seconds } from "./names.js";

const POLICY = { forbid: "Forbid", allow: "Allow", replace: "Replace" } as const;

/** Rough period of a cron schedule in seconds: how often it fires at most. */
export function periodSeconds(cron: string): number {
  const [minute = "*", hour = "*", day = "*", , weekday = "*"] = cron.split(/\s+/);
  const step = (field: string) => Number(/^\*\/(\d+)$/.exec(field)?.[1] ?? 1);
  if (minute.startsWith("*")) return 60 * step(minute);
  if (hour.startsWith("*")) return 3600 * step(hour);
  if (day === "*" && weekday === "*") return 86_400;
  return 86_400 * 7;
}

/**
 * A persistent job catches up a missed run: Kubernetes does so when `startingDeadlineSeconds` is
 * set, for a run missed within that window. One period, at most a day, keeps the controller far
 * from its limit of 100 missed schedules.
 */
export function startingDeadline(job: Job): number | null {
  if (!job.persistent || !job.schedule) return null;
  return Math.min(86_400, periodSeconds(job.schedule.cron));
}

export function jobObjects(stack: Stack, job: Job, keys: SecretKeys, warnings: TargetNote[]): object[] {
  if (!job.schedule) {
    warnings.push({
      part: `jobs.${job.name}.schedule`,
      message: "a job without a schedule runs on demand",
      instead: "a suspended CronJob: run it with kubectl create job --from",
    });
  }
  const deadline = startingDeadline(job);
  return [
    {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: metadata(stack, job.name, "job"),
      spec: {
        schedule: job.schedule?.cron ?? "0 0 1 1 *",
        timeZone: job.timezone,
        concurrencyPolicy: POLICY[job.concurrency],
        ...(deadline !== null ? { startingDeadlineSeconds: deadline } : {}),
        ...(job.schedule ? {} : { suspend: true }),
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: metadata(stack, job.name, "job").labels },
          spec: {
            backoffLimit: job.retries,
            ...(job.timeoutMs !== null ? { activeDeadlineSeconds: seconds(job.timeoutMs) } : {}),
            template: {
              metadata: { labels: metadata(stack, job.name, "job").labels },
              spec: { restartPolicy: "Never", containers: [container(stack, job, keys, warnings)] },
            },
          },
        },
      },
    },
  ];
}
