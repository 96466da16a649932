/**
 * The verdicts on a host's answer: each service's replicas active and enabled, each timer enabled
 * with its next run, free disk space, and loopback health checks. Pure: the clock is passed in.
 */
import type { RemoteAnswer, UnitProperties } from "./remote-script.js";
import type { RemoteResult } from "./ssh.js";
import type { CheckResult, CheckStatus, RemoteExpectations, VerifyHost } from "./types.js";

/** Free space under which the disk check warns, then fails (fraction of the file system). */
export const DISK_WARN = 0.15;
export const DISK_FAIL = 0.05;

const GB = 1e9;
const result = (kind: CheckResult["kind"], target: string, status: CheckStatus, detail: string, service: string | null = null): CheckResult => ({
  kind,
  target,
  service,
  status,
  detail,
  ms: null,
});

function matches(pattern: string, id: string): boolean {
  const star = pattern.indexOf("*");
  if (star === -1) return pattern === id;
  return id.startsWith(pattern.slice(0, star)) && id.endsWith(pattern.slice(star + 1)) && id.length >= pattern.length - 1;
}

/** `systemctl show`'s time stamp in UTC (`Mon 2026-12-07 01:00:00 UTC`), or null. */
export function parseSystemdTime(text: string | undefined): Date | null {
  const match = /(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC/.exec(text ?? "");
  return match ? new Date(`${match[1]}T${match[2]}Z`) : null;
}

/** "in 13 h", "in 3 days", "in 12 min". */
export function fromNow(when: Date, now: Date): string {
  const minutes = Math.round((when.getTime() - now.getTime()) / 60_000);
  if (minutes < 0) return "overdue";
  if (minutes < 90) return `in ${minutes} min`;
  if (minutes < 48 * 60) return `in ${Math.round(minutes / 60)} h`;
  return `in ${Math.round(minutes / 1440)} days`;
}

function serviceResult(on: string, s: RemoteExpectations["services"][number], units: readonly UnitProperties[]): CheckResult {
  const target = `${on} ${s.pattern}`;
  const mine = units.filter((u) => matches(s.pattern, u.Id ?? ""));
  const active = mine.filter((u) => u.ActiveState === "active");
  // Only the replicas that run must start at boot: an instance a deploy switched away from is stopped and disabled, and may stay loaded a while.
  const disabled = active.filter((u) => u.UnitFileState !== "enabled").map((u) => u.Id);
  if (active.length < s.replicas) return result("unit", target, "fail", `${active.length} of ${s.replicas} replicas active`, s.name);
  if (disabled.length) return result("unit", target, "fail", `not enabled (would not start at boot): ${disabled.join(", ")}`, s.name);
  return result("unit", target, "pass", `${active.length} of ${s.replicas} replica${s.replicas === 1 ? "" : "s"} active, enabled`, s.name);
}

function timerResult(on: string, t: RemoteExpectations["timers"][number], units: readonly UnitProperties[], now: Date): CheckResult {
  const target = `${on} ${t.unit}`;
  const unit = units.find((u) => u.Id === t.unit);
  if (unit?.LoadState !== "loaded") return result("timer", target, "fail", "not installed");
  if (unit.ActiveState !== "active") return result("timer", target, "fail", `${unit.ActiveState ?? "inactive"}: not waiting for its next run`);
  if (unit.UnitFileState !== "enabled") return result("timer", target, "fail", "not enabled (would not run after a reboot)");
  const next = parseSystemdTime(unit.NextElapseUSecRealtime);
  if (!next) return result("timer", target, "warn", "active, enabled, no next run scheduled");
  return result("timer", target, "pass", `next run ${next.toISOString().slice(0, 16).replace("T", " ")} UTC (${fromNow(next, now)})`);
}

function diskResult(on: string, disk: RemoteAnswer["disks"][number]): CheckResult {
  const free = disk.sizeKb ? disk.availableKb / disk.sizeKb : 0;
  const detail = `${((disk.availableKb * 1024) / GB).toFixed(1)} GB free of ${((disk.sizeKb * 1024) / GB).toFixed(1)} GB (${Math.round(free * 100)}%)`;
  const status = free < DISK_FAIL ? "fail" : free < DISK_WARN ? "warn" : "pass";
  return result("disk", `${on} ${disk.mount}`, status, status === "pass" ? detail : `${detail}: free some space`);
}

/** A replica's health on the host: its live port is the one of its ports (own or spare) that answers. */
function healthResult(on: string, h: RemoteExpectations["health"][number], answer: RemoteAnswer): CheckResult {
  const codes = h.ports.map((port) => ({ port, code: answer.health.get(port) }));
  const ok = (code: number | null | undefined) => typeof code === "number" && code >= h.status[0] && code <= h.status[1];
  const live = codes.find((c) => ok(c.code)) ?? codes.find((c) => typeof c.code === "number" && c.code > 0);
  const target = `${on} 127.0.0.1:${live?.port ?? h.ports.join("|")}${h.path}`;
  if (codes.length && codes.every((c) => c.code === null)) return result("health", target, "skip", "curl is not installed on the host", h.service);
  if (!live) return result("health", target, "fail", "no answer on the host", h.service);
  return result("health", target, ok(live.code) ? "pass" : "fail", `${live.code} on the host`, h.service);
}

/** Every verdict on one host; ssh's own words when it could not run the script. */
export function judgeRemote(host: VerifyHost, expected: RemoteExpectations, run: RemoteResult, answer: RemoteAnswer, now: Date): CheckResult[] {
  const where = `${host.user}@${host.host}`;
  if (run.code !== 0 || !run.stdout.includes("@@cairn-verify:")) {
    const words =
      run.stderr
        .split("\n")
        .filter((l) => l.trim())
        .pop() ?? `exit code ${run.code}`;
    return [result("ssh", where, "fail", words)];
  }
  const out: CheckResult[] = [];
  if (answer.systemdError && !answer.services.length && !answer.timers.length)
    out.push(result("unit", where, "fail", `systemctl: ${answer.systemdError.slice(0, 120)}`));
  else {
    for (const s of expected.services) out.push(serviceResult(host.host, s, answer.services));
    for (const t of expected.timers) out.push(timerResult(host.host, t, answer.timers, now));
  }
  for (const h of expected.health) out.push(healthResult(host.host, h, answer));
  if (!answer.disks.length) out.push(result("disk", where, "fail", "df gave no answer"));
  for (const disk of answer.disks) out.push(diskResult(host.host, disk));
  return out;
}
