/**
 * Short phrases for the parts of a stack (a service's replicas, a job's schedule, a resource's
 * engine and size), in the diagram's language. The guide's tables use the same phrases, so a fact
 * reads the same in the picture and in the text. Pure.
 */

import type { Words } from "../guide/i18n/words.js";
import type { Edge, HealthCheck, Job, Resource, Service } from "../model/types.js";
import { maintenanceText } from "../model/windows.js";

/** CPU and memory: `0.5 vCPU · 512 MiB`. */
export function sizeText(w: Words, size: { readonly cpu: number; readonly memoryBytes: number }): string {
  return w.t("size", { cpu: w.number(size.cpu), memory: w.bytes(size.memoryBytes) });
}

/** Replicas: fixed, or the autoscaling range with its targets. */
export function replicasText(w: Words, service: Service): string {
  const scale = service.scale;
  if (!scale) return w.t("replicas.fixed", { count: service.replicas });
  const targets = [
    scale.cpu !== null ? w.t("scale.cpu", { n: scale.cpu }) : null,
    scale.memory !== null ? w.t("scale.memory", { n: scale.memory }) : null,
    scale.requestsPerMinute !== null ? w.t("scale.requests", { n: scale.requestsPerMinute }) : null,
  ].filter((x): x is string => x !== null);
  const range = w.t("replicas.range", { min: scale.min, max: scale.max, desired: scale.desired });
  return targets.length ? `${range} · ${w.list(targets)}` : range;
}

/** A health check in a few words: path (or TCP) and interval. */
export function healthText(w: Words, health: HealthCheck | null): string {
  if (!health) return w.t("health.none");
  const interval = w.duration(health.intervalMs);
  return health.path === null ? w.t("health.tcp", { interval }) : w.t("health.http", { path: health.path, interval });
}

/** A job's schedule as written, with its time zone, or "on demand". */
export function scheduleText(w: Words, job: Job): string {
  return job.schedule ? w.t("schedule.short", { source: job.schedule.source, tz: job.timezone }) : w.t("schedule.none");
}

/** What a resource is, in one or a few short lines. */
export function resourceLines(w: Words, r: Resource): string[] {
  const lines: string[] = [];
  const backups = "backups" in r && r.backups ? w.t("resource.backups", { retention: w.duration(r.backups.retentionMs) }) : null;
  switch (r.type) {
    case "postgres":
      lines.push(w.t("resource.postgres", { version: r.version }) + (r.extensions.length ? ` + ${r.extensions.join(", ")}` : ""));
      lines.push(
        [w.bytes(r.storageBytes), r.ha ? w.t("resource.multiAz") : null, r.replicas ? w.t("resource.readReplicas", { count: r.replicas }) : null]
          .filter(Boolean)
          .join(" · "),
      );
      break;
    case "redis":
      lines.push(w.t("resource.redis", { version: r.version }) + (r.memoryBytes ? ` · ${w.bytes(r.memoryBytes)}` : ""));
      lines.push([r.eviction, r.replicas ? w.t("resource.replicas", { count: r.replicas }) : null].filter(Boolean).join(" · "));
      break;
    case "bucket":
      lines.push(
        [w.t("resource.bucket"), r.versioning ? w.t("resource.versioned") : null, r.public ? w.t("resource.publicRead") : null].filter(Boolean).join(" · "),
      );
      if (r.lifecycle.length) lines.push(r.lifecycle.map((l) => `${w.duration(l.afterMs)} → ${w.t(`lifecycle.${l.to}`)}`).join(", "));
      break;
    case "table":
      lines.push(w.t("resource.table"), w.t("resource.key", { hash: r.hashKey, range: r.rangeKey ?? "—" }));
      break;
    case "external":
      lines.push(w.t("resource.external", { kind: r.externalKind }));
      break;
    case "static":
      lines.push(w.t("resource.static"), r.dir);
      break;
  }
  if (backups) lines.push(backups);
  if ((r.type === "postgres" || r.type === "redis") && r.maintenance) lines.push(w.t("resource.maintenance", { window: maintenanceText(r.maintenance) }));
  if (r.placement !== "external") lines.push(w.t(`placement.${r.placement}`));
  if ((r.type === "bucket" || r.type === "static") && r.cdn) lines.push(w.t("resource.cdn"));
  return lines.filter((l) => l.length > 0);
}

/** The edge's public side: port and scheme, TLS, redirect, WAF, rate limit, geo blocking. */
export function edgeLines(w: Words, edge: Edge, domain: string | null): string[] {
  const tls = edge.tls.mode !== "off";
  const lines = [domain ?? null, w.t("edge.port", { port: String(edge.port), scheme: tls ? "HTTPS" : "HTTP" })];
  if (edge.tls.mode === "auto") lines.push(w.t("edge.tlsAuto"));
  if (edge.tls.mode === "certificate") lines.push(w.t("edge.tlsCertificate"));
  if (tls && edge.redirectHttp) lines.push(w.t("edge.redirect"));
  if (edge.waf.length) lines.push(w.t("edge.waf", { rules: edge.waf.join(", ") }));
  if (edge.rateLimit) lines.push(w.t("edge.rateLimit", { rate: rateText(w, edge.rateLimit) }));
  if (edge.geoBlock.length) lines.push(w.t("edge.geoBlock", { countries: edge.geoBlock.join(", ") }));
  if (edge.allow.length) lines.push(w.t("edge.allow", { sources: edge.allow.join(", ") }));
  if (edge.cdn) lines.push(w.t("edge.cdn"));
  return lines.filter((l): l is string => l !== null);
}

/** A rate limit: `100/min`. */
export function rateText(w: Words, limit: { readonly requests: number; readonly perMs: number }): string {
  const per = limit.perMs === 1000 ? "s" : limit.perMs === 60_000 ? "min" : limit.perMs === 3_600_000 ? "h" : w.duration(limit.perMs);
  return `${w.number(limit.requests)}/${per}`;
}

/** Where traffic may come from: "anywhere" for the whole internet, else the blocks. */
export function sourcesText(w: Words, from: readonly string[]): string {
  return from.every((f) => f === "0.0.0.0/0" || f === "::/0" || f === "any") ? w.t("source.anywhere") : from.join(", ");
}
