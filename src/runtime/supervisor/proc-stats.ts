/**
 * CPU and memory of a process group, read from /proc (Linux). CPU is the share of one core used
 * since the previous reading of the same group (or since the process started).
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcStats {
  /** Percent of one core. */
  readonly cpu: number;
  readonly memoryBytes: number;
}

const TICKS = 100;
const PAGE = 4096;
const previous = new Map<number, { ticks: number; at: number }>();

function uptimeSeconds(): number {
  return Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces). */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** Sums CPU ticks and resident memory over every process of the group `pgid`. */
export function groupStats(pgid: number): ProcStats | null {
  let ticks = 0;
  let pages = 0;
  let start = Number.POSITIVE_INFINITY;
  let found = false;
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    // After the name: state(0) ppid(1) pgrp(2) ... utime(11) stime(12) ... starttime(19) vsize(20) rss(21)
    if (!f || Number(f[2]) !== pgid) continue;
    found = true;
    ticks += Number(f[11]) + Number(f[12]);
    pages += Number(f[21]);
    start = Math.min(start, Number(f[19]) / TICKS);
  }
  if (!found) return null;
  const now = uptimeSeconds();
  const last = previous.get(pgid);
  const elapsed = last ? now - last.at : now - start;
  const used = last ? ticks - last.ticks : ticks;
  previous.set(pgid, { ticks, at: now });
  const cpu = elapsed > 0 ? Math.max(0, (used / TICKS / elapsed) * 100) : 0;
  return { cpu: Math.round(cpu * 10) / 10, memoryBytes: pages * PAGE };
}

/** Raw counters of one process group: CPU seconds used so far, and resident memory. */
export interface GroupUsage {
  readonly cpuSeconds: number;
  readonly memoryBytes: number;
}

/**
 * CPU seconds and memory of several process groups in one scan of /proc, with the reading's time
 * (seconds since boot). A caller keeps its own previous reading, so two readers never disturb each
 * other's intervals (as `groupStats` would).
 */
export function readGroups(pgids: ReadonlySet<number>): { readonly at: number; readonly groups: ReadonlyMap<number, GroupUsage> } {
  const groups = new Map<number, { ticks: number; pages: number }>();
  let entries: string[] = [];
  try {
    entries = pgids.size ? readdirSync("/proc") : [];
  } catch {
    entries = [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    const pgid = Number(f?.[2]);
    if (!f || !pgids.has(pgid)) continue;
    const group = groups.get(pgid) ?? { ticks: 0, pages: 0 };
    group.ticks += Number(f[11]) + Number(f[12]);
    group.pages += Number(f[21]);
    groups.set(pgid, group);
  }
  const out = new Map<number, GroupUsage>();
  for (const [pgid, g] of groups) out.set(pgid, { cpuSeconds: g.ticks / TICKS, memoryBytes: g.pages * PAGE });
  return { at: pgids.size ? uptimeSeconds() : 0, groups: out };
}
