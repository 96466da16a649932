/** Resolves services and jobs: every default filled, references parsed, variables assigned. */
import type { JobInput, ServiceInput } from "../schema/stack.js";
import { parseDuration, parsePercent, parseSize } from "../schema/units.js";
import { DEFAULTS } from "./defaults.js";
import { type Names, parseTemplate, referencedNames } from "./references.js";
import { parseSchedule } from "./schedule.js";
import type { Command, EnvVar, HealthCheck, Job, Restart, Scale, Service, Size, Template } from "./types.js";

export { DEFAULTS };

export const ms = (value: string | number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const parsed = parseDuration(value);
  return parsed.ok ? parsed.value : fallback;
};

export const bytes = (value: string | number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const parsed = parseSize(value);
  return parsed.ok ? parsed.value : fallback;
};

const pct = (value: string | number | undefined): number | null => {
  if (value === undefined) return null;
  const parsed = parsePercent(value);
  return parsed.ok ? parsed.value : null;
};

/** A `run:` value as a command: a shell line or an argument list. */
export function command(run: string | string[] | undefined): Command | null {
  if (run === undefined) return null;
  return typeof run === "string" ? { shell: run, argv: null } : { shell: null, argv: run };
}

function size(input: ServiceInput["size"]): Size {
  return {
    cpu: input?.cpu ?? DEFAULTS.cpu,
    memoryBytes: bytes(input?.memory, DEFAULTS.memoryBytes),
    defaulted: input?.cpu === undefined && input?.memory === undefined,
  };
}

function health(input: ServiceInput["health"]): HealthCheck | null {
  if (input === undefined || input === false) return null;
  const spec = typeof input === "string" ? { path: input } : input;
  const [low = "200", high = "399"] = (spec.status ?? "200-399").split("-");
  return {
    path: spec.path ?? null,
    intervalMs: ms(spec.interval, DEFAULTS.health.intervalMs),
    timeoutMs: ms(spec.timeout, DEFAULTS.health.timeoutMs),
    healthy: spec.healthy ?? DEFAULTS.health.healthy,
    unhealthy: spec.unhealthy ?? DEFAULTS.health.unhealthy,
    graceMs: ms(spec.grace, DEFAULTS.health.graceMs),
    status: [Number(low), Number(high ?? low)],
  };
}

function scale(input: ServiceInput["scale"]): Scale | null {
  if (!input) return null;
  return {
    min: input.min,
    max: input.max,
    desired: input.desired ?? Math.max(input.min, 1),
    cpu: pct(input.cpu),
    memory: pct(input.memory),
    requestsPerMinute: input.requests ?? null,
    cooldownOutMs: ms(input.cooldown?.out, DEFAULTS.cooldownOutMs),
    cooldownInMs: ms(input.cooldown?.in, DEFAULTS.cooldownInMs),
  };
}

function restart(input: ServiceInput["restart"]): Restart {
  const spec = typeof input === "string" ? { policy: input } : (input ?? {});
  return {
    policy: spec.policy ?? DEFAULTS.restart.policy,
    delayMs: ms(spec.delay, DEFAULTS.restart.delayMs),
    maxDelayMs: ms(spec.max_delay, DEFAULTS.restart.maxDelayMs),
    maxRestarts: spec.max_restarts ?? DEFAULTS.restart.maxRestarts,
    windowMs: ms(spec.window, DEFAULTS.restart.windowMs),
  };
}

/** Parsed env from the file, with the names of parts and secrets it references. */
export function fileEnv(env: Record<string, string | number | boolean> | undefined, names: Names): { vars: EnvVar[]; refs: string[]; secrets: string[] } {
  const vars: EnvVar[] = [];
  const refs: string[] = [];
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(env ?? {})) {
    const { template } = parseTemplate(value, names);
    const found = referencedNames(template);
    refs.push(...found.parts);
    secrets.push(...found.secrets);
    vars.push({ name, value: template, origin: "file" });
  }
  return { vars, refs, secrets };
}

type ProcessInput = ServiceInput | JobInput;

/** What both services and jobs share; `env` is completed later with resource variables. */
export function processBase(name: string, input: ProcessInput, names: Names) {
  const { vars, refs, secrets } = fileEnv(input.env, names);
  const dependsOn = [...new Set([...(input.depends_on ?? []), ...refs])].filter((n) => n !== name);
  return {
    name,
    description: input.description ?? null,
    command: command(input.run),
    image: input.image ?? null,
    build:
      input.build === undefined
        ? null
        : typeof input.build === "string"
          ? { context: input.build, dockerfile: null }
          : { context: input.build.context, dockerfile: input.build.dockerfile ?? null },
    cwd: input.cwd ?? ".",
    env: vars,
    size: size(input.size),
    dependsOn,
    uses: dependsOn.filter((n) => names.resources.has(n)),
    secrets: [...new Set(secrets)].sort(),
  };
}

function isStreamlit(input: ServiceInput): boolean {
  const run = Array.isArray(input.run) ? input.run.join(" ") : (input.run ?? "");
  return /\bstreamlit\b/.test(run) || /streamlit/.test(input.image ?? "");
}

/** Resolves one service; `routed` says whether the edge reaches it. */
/** What a service inherits from the edge when it sets nothing itself. */
export interface EdgeDefaults {
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
}

export function resolveService(
  name: string,
  input: ServiceInput,
  names: Names,
  routed: boolean,
  edge: EdgeDefaults = { timeoutMs: DEFAULTS.requestTimeoutMs, maxBodyBytes: DEFAULTS.maxBodyBytes },
): Service {
  const basePath =
    input.base_path === undefined
      ? null
      : typeof input.base_path === "string"
        ? { path: input.base_path, strip: false }
        : { path: input.base_path.path, strip: input.base_path.strip ?? false };
  const resolvedScale = scale(input.scale);
  return {
    kind: "service",
    ...processBase(name, input, names),
    port: input.port ?? null,
    health: health(input.health),
    replicas: input.replicas ?? resolvedScale?.desired ?? 1,
    scale: resolvedScale,
    websockets: input.websockets !== undefined && input.websockets !== false,
    websocketPath: typeof input.websockets === "string" ? input.websockets : null,
    stickyMs: input.sticky === undefined || input.sticky === false ? null : ms(input.sticky, 0),
    basePath,
    restart: restart(input.restart),
    stopTimeoutMs: ms(input.stop_timeout, DEFAULTS.stopTimeoutMs),
    timeoutMs: ms(input.timeout, edge.timeoutMs),
    maxBodyBytes: bytes(input.max_body, edge.maxBodyBytes),
    errorLog: input.logs?.errors ?? false,
    framework: input.framework ?? (isStreamlit(input) ? "streamlit" : "generic"),
    public: routed,
  };
}

/** Resolves one job. */
export function resolveJob(name: string, input: JobInput, names: Names): Job {
  const timezone = input.timezone ?? "UTC";
  const parsed = input.schedule === undefined ? null : parseSchedule(input.schedule, timezone);
  const args: Template[] = (input.args ?? []).map((arg) => parseTemplate(arg, names).template);
  return {
    kind: "job",
    ...processBase(name, input, names),
    schedule: parsed?.ok ? parsed.schedule : null,
    timezone,
    persistent: input.persistent ?? false,
    timeoutMs: input.timeout === undefined ? null : ms(input.timeout, 0),
    retries: input.retries ?? 0,
    concurrency: input.concurrency ?? "forbid",
    args,
  };
}
