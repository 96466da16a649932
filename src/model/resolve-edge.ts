/** Resolves the edge, routes and alarms. */
import type { StackFile } from "../schema/stack.js";
import { parseDuration, parsePercent } from "../schema/units.js";
import { bytes, DEFAULTS, ms } from "./resolve-process.js";
import type { Alarm, Edge, RateLimit, Route } from "./types.js";

const PER: Record<string, number> = { s: 1000, sec: 1000, second: 1000, m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hour: 3_600_000 };

export function rateLimit(input: NonNullable<StackFile["edge"]>["rate_limit"]): RateLimit | null {
  if (input === undefined) return null;
  if (typeof input === "object") return { requests: input.requests, perMs: ms(input.per, 60_000), burst: input.burst ?? 0 };
  const [count = "0", per = "min"] = input.split("/").map((s) => s.trim());
  return { requests: Number(count), perMs: PER[per] ?? 60_000, burst: 0 };
}

const ANYWHERE = ["0.0.0.0/0", "::/0"];

export function resolveEdge(input: StackFile["edge"]): Edge {
  const edge = input ?? {};
  const tls =
    edge.tls === undefined || edge.tls === false
      ? { mode: "off" as const }
      : edge.tls === "auto"
        ? { mode: "auto" as const }
        : "cert" in edge.tls
          ? { mode: "certificate" as const, certificate: edge.tls.cert, key: edge.tls.key }
          : { mode: "certificate" as const, certificate: edge.tls.certificate, key: null };
  return {
    port: edge.port ?? (tls.mode === "off" ? 80 : 443),
    tls,
    redirectHttp: edge.redirect_http ?? tls.mode !== "off",
    rateLimit: rateLimit(edge.rate_limit),
    waf: edge.waf ?? [],
    geoBlock: edge.geo_block ?? [],
    allow: edge.allow ?? [],
    open: (edge.open ?? []).map((p) => ({
      port: p.port,
      protocol: p.protocol ?? "tcp",
      from: p.from === undefined ? ANYWHERE : Array.isArray(p.from) ? p.from : [p.from],
      description: p.description ?? null,
    })),
    maxBodyBytes: bytes(edge.max_body, DEFAULTS.maxBodyBytes),
    timeoutMs: ms(edge.timeout, DEFAULTS.requestTimeoutMs),
    cdn: edge.cdn ?? false,
  };
}

/** Routes in a stable order: host routes first, then longest path first. */
export function resolveRoutes(input: StackFile["routes"], staticNames: ReadonlySet<string>): Route[] {
  return (input ?? []).map((r) => ({
    host: r.host ?? null,
    path: r.path ?? "/",
    to: r.to,
    toKind: staticNames.has(r.to) ? ("static" as const) : ("service" as const),
    strip: r.strip ?? false,
  }));
}

const ALARM = /^\s*([a-z_0-9]+)\s*(>=|<=|>|<)\s*([\d.]+)\s*(%|ms|s)?\s*(?:for\s+(\S+))?\s*$/;

/** Parses `cpu > 80% for 5m` into an alarm, or returns an error sentence. */
export function parseAlarm(input: NonNullable<StackFile["alarms"]>[number]): Alarm | string {
  if (typeof input === "object") {
    const threshold = typeof input.threshold === "number" ? input.threshold : thresholdValue(input.threshold);
    if (threshold === null) return `threshold "${input.threshold}" is not a number, percentage or duration`;
    return {
      source: `${input.metric} ${input.op ?? ">"} ${input.threshold}`,
      metric: input.metric,
      op: input.op ?? ">",
      threshold,
      forMs: ms(input.for, 300_000),
      service: input.service ?? null,
      notify: input.notify ?? null,
    };
  }
  const match = ALARM.exec(input);
  if (!match) return `"${input}" is not an alarm`;
  const [, metric = "", op = ">", value = "0", unit = "", forText] = match;
  const known = ["cpu", "memory", "error_rate", "p50", "p95", "p99", "requests", "healthy_hosts", "db_cpu", "db_connections", "cache_hit_rate"];
  if (!known.includes(metric)) return `unknown metric "${metric}": use ${known.join(", ")}`;
  const forMs = forText === undefined ? 300_000 : parseDuration(forText);
  if (typeof forMs === "object" && !forMs.ok) return forMs.error;
  const threshold = unit === "s" ? Number(value) * 1000 : Number(value);
  return {
    source: input.trim(),
    metric,
    op: op as Alarm["op"],
    threshold,
    forMs: typeof forMs === "number" ? forMs : forMs.value,
    service: null,
    notify: null,
  };
}

function thresholdValue(text: string): number | null {
  const percent = parsePercent(text);
  if (percent.ok) return percent.value;
  const duration = parseDuration(text);
  return duration.ok ? duration.value : null;
}
