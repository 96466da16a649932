/** Schema of `services.<name>` and `jobs.<name>`: the stack's processes. */
import { z } from "zod";
import { DEFAULTS as D, durationText, sizeText } from "../model/defaults.js";
import { TCP_HEALTH_CHECK } from "../model/health.js";
import { command, duration, envMap, percent, port, size } from "./fields.js";

export const health = z
  .strictObject({
    path: z.string().startsWith("/").optional().meta({ description: "HTTP path probed; a TCP connect when absent." }),
    interval: duration.optional().meta({ description: `Time between checks (default ${durationText(D.health.intervalMs)}).` }),
    timeout: duration.optional().meta({ description: `Time a check may take (default ${durationText(D.health.timeoutMs)}).` }),
    healthy: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .meta({ description: `Consecutive passes to become healthy (default ${D.health.healthy}).` }),
    unhealthy: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .meta({ description: `Consecutive failures to become unhealthy (default ${D.health.unhealthy}).` }),
    grace: duration.optional().meta({ description: `Start-up time during which failures do not count (default ${durationText(D.health.graceMs)}).` }),
    status: z
      .string()
      .regex(/^\d{3}(-\d{3})?$/)
      .optional()
      .meta({ description: "Accepted status codes (default 200-399)." }),
  })
  .meta({
    description: `Health check with load-balancer semantics. Without it, a service with a port is checked by a TCP connect every ${durationText(TCP_HEALTH_CHECK.intervalMs)} (${durationText(TCP_HEALTH_CHECK.timeoutMs)} timeout, healthy at the first success, unhealthy after ${TCP_HEALTH_CHECK.unhealthy} failures).`,
  });

export const sizeSpec = z
  .strictObject({
    cpu: z.number().positive().max(192).optional().meta({ description: "vCPUs (0.25, 0.5, 1, 2...)." }),
    memory: size.optional().meta({ description: "Memory (512Mi, 2Gi)." }),
  })
  .meta({
    description: `What one replica needs. Default ${D.cpu} vCPU and ${sizeText(D.memoryBytes)}: what cost prices and what k8s, aws and compose reserve; the vm target caps a process only when \`size\` is set.`,
  });

export const scale = z
  .strictObject({
    min: z.number().int().min(0),
    max: z.number().int().min(1),
    desired: z.number().int().min(0).optional(),
    cpu: percent.optional().meta({ description: "Target average CPU." }),
    memory: percent.optional().meta({ description: "Target average memory." }),
    requests: z.number().int().positive().optional().meta({ description: "Target requests per minute per replica." }),
    cooldown: z
      .strictObject({ out: duration.optional(), in: duration.optional() })
      .optional()
      .meta({ description: `Wait after scaling out and in (default ${durationText(D.cooldownOutMs)} out, ${durationText(D.cooldownInMs)} in).` }),
  })
  .meta({ description: "Autoscaling bounds and targets." });

export const restartPolicy = z.enum(["always", "on-failure", "never"]);

export const restart = z
  .union([
    restartPolicy,
    z.strictObject({
      policy: restartPolicy.optional(),
      delay: duration.optional().meta({ description: `First wait before a restart (default ${durationText(D.restart.delayMs)}).` }),
      max_delay: duration.optional().meta({ description: `Cap of the exponential back-off (default ${durationText(D.restart.maxDelayMs)}).` }),
      max_restarts: z
        .number()
        .int()
        .min(0)
        .optional()
        .meta({ description: `Restarts within \`window\` before the service is a crash loop (default ${D.restart.maxRestarts}).` }),
      window: duration.optional().meta({ description: `Window for max_restarts (default ${durationText(D.restart.windowMs)}).` }),
    }),
  ])
  .meta({ description: "Restart policy: always, on-failure or never, with its back-off." });

export const basePath = z
  .union([
    z.string().startsWith("/"),
    z.strictObject({
      path: z.string().startsWith("/"),
      strip: z.boolean().optional().meta({ description: "Remove the prefix before the request reaches the service." }),
    }),
  ])
  .meta({ description: "Prefix under which the service is mounted; it is told through BASE_PATH." });

const processFields = {
  run: command.optional().meta({ description: "Command run locally and on VMs." }),
  image: z.string().optional().meta({ description: "Container image for container targets." }),
  build: z
    .union([z.string(), z.strictObject({ context: z.string(), dockerfile: z.string().optional() })])
    .optional()
    .meta({ description: "Build context (and Dockerfile) for container targets." }),
  cwd: z.string().optional().meta({ description: "Working directory, relative to the stack file." }),
  env: envMap.optional(),
  size: sizeSpec.optional(),
  depends_on: z.array(z.string()).optional().meta({ description: "Services and resources started first." }),
  description: z.string().optional(),
};

export const service = z
  .strictObject({
    ...processFields,
    port: port.optional().meta({ description: "Port the process listens on (given as PORT)." }),
    health: z
      .union([health, z.string().startsWith("/"), z.literal(false)])
      .optional()
      .meta({ description: "Health check: a path (`/health`), a map, or false." }),
    replicas: z.number().int().min(0).max(1000).optional().meta({ description: "Fixed number of replicas (default 1)." }),
    scale: scale.optional(),
    websockets: z
      .union([z.boolean(), z.string().regex(/^\/[!-~]*$/, "a path such as /live")])
      .optional()
      .meta({ description: "Holds WebSockets: true, or the path they open on (`/live`, for verify)." }),
    sticky: z
      .union([duration, z.literal(false)])
      .optional()
      .meta({ description: "Session stickiness by cookie for this long." }),
    base_path: basePath.optional(),
    restart: restart.optional(),
    stop_timeout: duration.optional().meta({ description: `Grace between SIGTERM and SIGKILL (default ${durationText(D.stopTimeoutMs)}).` }),
    timeout: duration.optional().meta({ description: `Request timeout at the gateway (default: the edge's, ${durationText(D.requestTimeoutMs)}).` }),
    max_body: size.optional().meta({ description: `Largest request body accepted (default: the edge's, ${sizeText(D.maxBodyBytes)}).` }),
    logs: z
      .strictObject({ errors: z.boolean().optional().meta({ description: "Keep an errors-only log beside the full log." }) })
      .optional()
      .meta({ description: "Log options of this service." }),
    framework: z.enum(["streamlit", "generic"]).optional().meta({ description: "Known framework: tells Cairn how to pass the base path." }),
  })
  .meta({ description: "A long-running process, usually with a port." });

export const job = z
  .strictObject({
    ...processFields,
    schedule: z.string().optional().meta({ description: "Cron (`0 2 * * *`) or calendar form (`daily at 02:00`, `every 15m`). Absent: run on demand only." }),
    timezone: z.string().optional().meta({ description: "IANA time zone of the schedule (default UTC)." }),
    persistent: z.boolean().optional().meta({ description: "Catch up a run missed while the stack was down." }),
    timeout: duration.optional(),
    retries: z.number().int().min(0).max(20).optional(),
    concurrency: z.enum(["forbid", "allow", "replace"]).optional().meta({ description: "What to do when a run is due while one is running (default forbid)." }),
    args: z.array(z.string()).optional().meta({ description: "Arguments; `${run.date}` is the scheduled date (YYYY-MM-DD)." }),
  })
  .meta({ description: "A batch process run on a schedule or on demand." });
