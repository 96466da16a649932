/** Terminal text for `cairn up` and `cairn ps`: short aligned tables and the prefixed live log view. Pure. */
import type { Colors } from "picocolors/types.js";
import { TERMINAL_WIDTH, table } from "../../text/table.js";
import type { AlarmStatus } from "../alarms/watch.js";
import type { LogLine } from "../supervisor/log-sink.js";
import type { PsReport } from "./snapshot.js";

export function duration(ms: number | null): string {
  if (ms === null) return "-";
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor(s / 3600) % 24).padStart(2, "0")}h`;
}

export function bytes(n: number | null): string {
  if (n === null) return "-";
  if (n < 1024 ** 2) return `${Math.round(n / 1024)}K`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)}M`;
  return `${(n / 1024 ** 3).toFixed(2)}G`;
}

const stateColor = (state: string, c: Colors) =>
  state === "healthy" || state === "running"
    ? c.green(state)
    : state === "starting" || state === "backoff" || state === "stopping"
      ? c.yellow(state)
      : c.red(state);

/**
 * Where the gateway is, said so that it answers: its URL when a route is served there, else only its
 * port (a stack routed by host names answers at each service's own URL, never at the bare address).
 */
export function gatewayLabel(report: PsReport): string | null {
  if (!report.url) return null;
  const edge = report.url;
  const servedThere = report.services.some((s) => s.urls.some((u) => u === edge || u.startsWith(`${edge}/`)));
  return servedThere ? edge : `gateway on port ${new URL(edge).port || "80"}`;
}

/** The table `cairn up` prints once the stack is up: each service with its URLs, jobs with their next run. */
export function renderStarted(report: PsReport, c: Colors): string {
  const label = gatewayLabel(report);
  const lines = [`${c.bold(report.stack)} (${report.environment})${label ? `  ${c.cyan(label)}` : ""}`];
  const rows: string[][] = [];
  for (const s of report.services) {
    const states = [...new Set(s.replicas.map((r) => r.state))];
    rows.push([
      `  ${s.name}`,
      s.urls.join(" ") || "-",
      `${s.replicas.length} replica${s.replicas.length === 1 ? "" : "s"}`,
      states.map((x) => stateColor(x, c)).join(","),
    ]);
  }
  for (const r of report.resources) rows.push([`  ${r.name}`, r.type, r.pid ? `pid ${r.pid}` : "", r.healthy ? c.green("ready") : c.red("down")]);
  for (const j of report.jobs)
    rows.push([`  ${j.name}`, j.schedule ? `${j.schedule} (${j.timezone})` : "run by hand: cairn run " + j.name, "job", j.nextRun ? `next ${j.nextRun}` : ""]);
  if (rows.length) lines.push(table(rows));
  for (const n of report.notices ?? []) lines.push(`${c.yellow("!")} ${n}`);
  for (const p of report.problems) lines.push(`${c.red("✗")} ${p.name}: ${p.message}${p.hint ? `\n  ${c.cyan("hint:")} ${p.hint}` : ""}`);
  return `${lines.join("\n")}\n`;
}

/** `cairn ps`: one row per replica, resource and job. */
export function renderPs(report: PsReport, c: Colors): string {
  const label = gatewayLabel(report);
  const out: string[] = [`${c.bold(report.stack)} (${report.environment}), cairn up pid ${report.pid}${label ? `, ${label}` : ""}`];
  const rows: string[][] = [["SERVICE", "REPLICA", "STATE", "HEALTH", "GATEWAY", "PID", "PORT", "RESTARTS", "UPTIME", "CPU", "MEM"]];
  for (const s of report.services) {
    for (const r of s.replicas) {
      rows.push([
        s.name,
        r.id,
        stateColor(r.state, c),
        r.health ?? "-",
        r.routed === null ? "-" : r.routed ? "routed" : c.yellow("held back"),
        r.pid ? String(r.pid) : "-",
        r.port ? String(r.port) : "-",
        String(r.restarts),
        duration(r.uptimeMs),
        r.cpu === null ? "-" : `${r.cpu}%`,
        bytes(r.memoryBytes),
      ]);
    }
  }
  if (rows.length > 1) out.push(table(rows));
  const causes = report.services.flatMap((s) => s.replicas.filter((r) => r.cause).map((r) => `  ${r.id}: ${r.cause}`));
  if (causes.length) out.push(causes.join("\n"));
  if (report.resources.length) {
    out.push(
      table([
        ["RESOURCE", "TYPE", "PID", "STATE"],
        ...report.resources.map((r) => [r.name, r.type, r.pid ? String(r.pid) : "-", r.healthy ? c.green("ready") : c.red("down")]),
      ]),
    );
  }
  if (report.runtimeBuckets?.length) {
    out.push(`created at run time, not in the stack file (no target creates them): ${report.runtimeBuckets.join(", ")}`);
  }
  if (report.jobs.length) {
    out.push(
      table([
        ["JOB", "SCHEDULE", "RUNNING", "NEXT RUN", "LAST RUN", "LAST STATUS"],
        ...report.jobs.map((j) => [
          j.name,
          j.schedule ? `${j.schedule} (${j.timezone})` : "by hand",
          String(j.running),
          j.nextRun ?? "-",
          j.lastRun?.startedAt ?? "-",
          j.lastRun ? `${j.lastRun.status}${j.lastRun.exitCode !== null ? ` (exit ${j.lastRun.exitCode})` : ""}` : "-",
        ]),
      ]),
    );
  }
  const scaling = renderScaling(report, c);
  if (scaling) out.push(scaling);
  if (report.alarms?.length) out.push(renderAlarms(report, c));
  for (const p of report.problems) out.push(`${c.red("✗")} ${p.name}: ${p.message}`);
  return `${out.join("\n\n")}\n`;
}

/** Most recent scaling decisions `cairn ps` lists (`--json` has every one kept). */
export const DECISIONS_SHOWN = 5;

const ago = (report: PsReport, iso: string) => duration(Math.max(0, Date.parse(report.at) - Date.parse(iso)));
const use = (value: number | null, target: number | null) => `${value === null ? "-" : `${value}%`}${target === null ? "" : ` / ${target}%`}`;

/** Scaled services (use against target, what the policy says) and the last decisions. */
export function renderScaling(report: PsReport, c: Colors): string | null {
  const { services, decisions } = report.scaling ?? { services: [], decisions: [] };
  if (!services.length && !decisions.length) return null;
  const rows = [["SCALED", "REPLICAS", "RANGE", "CPU / TARGET", "MEM / TARGET", "POLICY"]];
  for (const s of services)
    rows.push([s.service, String(s.replicas), `${s.min}-${s.max}`, use(s.cpu, s.targets.cpu), use(s.memory, s.targets.memory), s.status]);
  const lines = [table(rows, { width: TERMINAL_WIDTH, wrap: 5 })];
  const last = decisions.slice(-DECISIONS_SHOWN);
  if (last.length) {
    const outcome = (d: (typeof last)[number]) => (d.outcome === "failed" ? c.red(`failed: ${d.error}`) : d.outcome);
    const decided = last.map((d) => [`  ${ago(report, d.at)} ago`, d.service, `${d.from} -> ${d.to}`, `${d.reason} (${outcome(d)})`]);
    lines.push(table(decided, { width: TERMINAL_WIDTH, wrap: 3 }));
  }
  return lines.join("\n");
}

const alarmColor = (state: AlarmStatus["state"], c: Colors) => (state === "OK" ? c.green(state) : state === "ALARM" ? c.red(state) : c.yellow(state));

function alarmValue(a: AlarmStatus): string {
  if (a.value === null) return a.note ?? "-";
  if (["cpu", "memory", "error_rate", "cache_hit_rate", "db_cpu"].includes(a.metric)) return `${a.value}%`;
  if (/^p\d+$/.test(a.metric)) return a.value >= 1000 ? `${Math.round(a.value / 100) / 10}s` : `${Math.round(a.value)}ms`;
  return String(a.value);
}

/** The stack's alarms: each on its subject, with its state, since when, and the last value. */
export function renderAlarms(report: PsReport, c: Colors): string {
  const rows = [["ALARM", "ON", "STATE", "SINCE", "VALUE"]];
  for (const a of report.alarms) rows.push([a.alarm, a.subject ?? "edge", alarmColor(a.state, c), ago(report, a.since), alarmValue(a)]);
  return table(rows, { width: TERMINAL_WIDTH, wrap: [0, 4] });
}

const PALETTE = ["cyan", "magenta", "blue", "yellow", "green"] as const;

/** A live log line: `web.1 | text`, the prefix coloured by source and padded to `width`. */
export function formatLogLine(line: LogLine, width: number, c: Colors): string {
  let h = 0;
  for (const ch of line.source.split(".")[0] ?? "") h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const colour = c[PALETTE[h % PALETTE.length] ?? "cyan"];
  const prefix = colour(line.source.padEnd(width));
  const text = line.stream === "err" ? c.red(line.text) : line.stream === "cairn" ? c.dim(line.text) : line.text;
  return `${prefix} ${c.dim("|")} ${text}\n`;
}
