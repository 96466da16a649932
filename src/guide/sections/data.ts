/** Sections: network, data stores, schedules, environment variables and secrets. */
import { resourceLines } from "../../diagram/describe.js";
import { vmFacts } from "../../diagram/sources/vm.js";
import type { Process, Resource, Stack, TemplatePart } from "../../model/types.js";
import { envName } from "../../model/variables.js";
import { type Blocks, code } from "../document.js";
import { securityRows } from "../facts/security.js";
import { cronInWords } from "../i18n/schedule-words.js";
import type { Words } from "../i18n/words.js";

export function network(b: Blocks, stack: Stack, w: Words): void {
  b.h(2, w.t("guide.network"));
  b.p(w.t(`guide.network.intro.${stack.environment.target}`));
  b.table([w.t("col.where"), w.t("col.port"), w.t("col.protocol"), w.t("col.source"), w.t("col.purpose")], securityRows(stack, w));
}

function engine(w: Words, r: Resource): string {
  return resourceLines(w, r)[0] ?? r.type;
}

function encryption(w: Words, r: Resource): string {
  if (r.type === "postgres") return r.encrypted ? w.t("guide.encrypted") : w.t("guide.notEncrypted");
  if (r.type === "bucket" || r.type === "table") return r.placement === "managed" ? w.t("guide.encryptedByCloud") : "—";
  return "—";
}

function backups(w: Words, r: Resource): string {
  if ("backups" in r && r.backups)
    return w.t("guide.backups", { retention: w.duration(r.backups.retentionMs), schedule: cronInWords(r.backups.schedule.cron, w) });
  if (r.type === "bucket" && r.versioning) return w.t("guide.versioning");
  if (r.type === "external") return w.t("guide.backupsExternal");
  return w.t("guide.noBackups");
}

function size(w: Words, r: Resource): string {
  if (r.type === "postgres") return w.bytes(r.storageBytes) + (r.instance ? ` · ${code(r.instance)}` : "");
  if (r.type === "redis") return [r.memoryBytes ? w.bytes(r.memoryBytes) : null, r.instance ? code(r.instance) : null].filter(Boolean).join(" · ") || "—";
  return "—";
}

export function dataStores(b: Blocks, stack: Stack, w: Words): void {
  b.h(2, w.t("guide.data"));
  if (!stack.resources.length) {
    b.p(w.t("guide.data.none"));
    return;
  }
  b.table(
    [w.t("col.resource"), w.t("col.engine"), w.t("col.placement"), w.t("col.size"), w.t("col.backups"), w.t("col.encryption"), w.t("col.usedBy")],
    stack.resources.map((r) => [
      code(r.name),
      engine(w, r),
      w.t(`placement.${r.placement}`),
      size(w, r),
      backups(w, r),
      encryption(w, r),
      r.usedBy.map(code).join(", ") || "—",
    ]),
  );
  const details = stack.resources.flatMap((r) => {
    const lines = resourceLines(w, r).slice(1);
    return [
      // What it holds, in the file's own words, then its settings.
      ...(r.description ? [w.t("guide.costs.noteLine", { what: code(r.name), note: r.description })] : []),
      ...(lines.length ? [w.t("guide.costs.noteLine", { what: code(r.name), note: lines.join(w.t("sep")) })] : []),
    ];
  });
  b.items(details);
}

export function schedules(b: Blocks, stack: Stack, w: Words): void {
  b.h(2, w.t("guide.schedules"));
  const rows: string[][] = [];
  const timers = stack.environment.target === "vm" ? vmFacts(stack).units : [];
  for (const j of stack.jobs) {
    if (!j.schedule) {
      rows.push([code(j.name), w.t("schedule.none"), "—", "—", j.timezone, "—"]);
      continue;
    }
    const calendar = timers.find((u) => u.process === j.name)?.calendar ?? j.schedule.calendar;
    const extra = [
      j.persistent ? w.t("guide.persistent") : null,
      j.timeoutMs !== null ? w.t("guide.timeout", { duration: w.duration(j.timeoutMs) }) : null,
      w.t("guide.retries", { count: j.retries }),
      w.t(`guide.concurrency.${j.concurrency}`),
    ];
    rows.push([code(j.name), cronInWords(j.schedule.cron, w), code(j.schedule.cron), code(calendar), j.timezone, extra.filter(Boolean).join(w.t("sep"))]);
  }
  for (const r of stack.resources)
    if ("backups" in r && r.backups && r.placement !== "external") {
      const s = r.backups.schedule;
      rows.push([
        w.t("guide.backupOf", { name: code(r.name) }),
        cronInWords(s.cron, w),
        code(s.cron),
        code(s.calendar),
        s.timezone,
        w.t("guide.kept", { retention: w.duration(r.backups.retentionMs) }),
      ]);
    }
  if (!rows.length) {
    b.p(w.t("guide.schedules.none"));
    return;
  }
  b.table([w.t("col.what"), w.t("col.when"), "cron", "OnCalendar", w.t("col.timezone"), w.t("col.notes")], rows);
}

function origin(w: Words, parts: readonly TemplatePart[], secrets: Set<string>): string {
  const from = parts.flatMap((p) => {
    if (p.kind === "secret") {
      secrets.add(p.name);
      return [w.t("guide.var.secret", { name: code(p.name) })];
    }
    if (p.kind === "resource") return [w.t("guide.var.resource", { name: code(p.name), attr: p.attr })];
    if (p.kind === "service") return [w.t("guide.var.service", { name: code(p.name), attr: p.attr })];
    if (p.kind === "var") return [w.t("guide.var.cairn", { name: code(p.name) })];
    return [];
  });
  return from.length ? from.join(" + ") : w.t("guide.var.literal");
}

export function variables(b: Blocks, stack: Stack, w: Words): void {
  b.h(2, w.t("guide.variables"));
  b.p(w.t("guide.variables.intro"));
  const rows: string[][] = [];
  const processes: readonly Process[] = [...stack.services, ...stack.jobs];
  for (const p of processes) {
    const secrets = new Set<string>();
    for (const v of p.env) rows.push([code(p.name), code(v.name), origin(w, v.value, secrets), w.t(`guide.origin.${v.origin}`)]);
  }
  b.table([w.t("col.process"), w.t("col.variable"), w.t("col.valueFrom"), w.t("col.setBy")], rows);
  b.h(3, w.t("guide.secrets"));
  if (!stack.secrets.length) {
    b.p(w.t("guide.secrets.none"));
    return;
  }
  b.p(w.t(`guide.secrets.where.${stack.environment.target}`, { file: code(stack.environment.target === "vm" ? vmFacts(stack).secretsFile : ".env") }));
  b.table(
    [w.t("col.secret"), w.t("col.variable"), w.t("col.description"), w.t("col.usedBy")],
    stack.secrets.map((s) => [code(s.name), code(envName(s.name)), s.description ?? "—", s.usedBy.map(code).join(", ") || "—"]),
  );
}
