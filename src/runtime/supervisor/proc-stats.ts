/**
 * CPU and memory of process groups, read from /proc (Linux) in one scan. Each reader keeps its own
 * previous reading (a `GroupMeter`, or `readGroups`'s raw counters), so `cairn ps` and `/metrics`
 * never shorten each other's intervals.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcStats {
  /** Percent of one core. */
  readonly cpu: number;
  readonly memoryBytes: number;
}

const TICKS = 100;
const PAGE = 4096;

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

/** Raw counters of one process group: CPU seconds used so far, and resident memory. */
export interface GroupUsage {
  readonly cpuSeconds: number;
  readonly memoryBytes: number;
  /** When the group's oldest process started (seconds since boot). */
  readonly startSeconds: number;
}

/**
 * CPU seconds and memory of several process groups in one scan of /proc, with the reading's time
 * (seconds since boot). A caller keeps its own previous reading.
 */
export function readGroups(pgids: ReadonlySet<number>): { readonly at: number; readonly groups: ReadonlyMap<number, GroupUsage> } {
  const groups = new Map<number, { ticks: number; pages: number; start: number }>();
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
    // After the name: state(0) ppid(1) pgrp(2) ... utime(11) stime(12) ... starttime(19) vsize(20) rss(21)
    const group = groups.get(pgid) ?? { ticks: 0, pages: 0, start: Number.POSITIVE_INFINITY };
    group.ticks += Number(f[11]) + Number(f[12]);
    group.pages += Number(f[21]);
    group.start = Math.min(group.start, Number(f[19]) / TICKS);
    groups.set(pgid, group);
  }
  const out = new Map<number, GroupUsage>();
  for (const [pgid, g] of groups) out.set(pgid, { cpuSeconds: g.ticks / TICKS, memoryBytes: g.pages * PAGE, startSeconds: g.start });
  return { at: pgids.size ? uptimeSeconds() : 0, groups: out };
}

type Reader = typeof readGroups;

/**
 * One reader's view of process groups: CPU as the share of one core since this meter's previous
 * reading of the group (or since the group started), and resident memory. Each call passes every
 * group the reader follows; the others are forgotten, so the meter holds only live groups.
 */
export class GroupMeter {
  private previous = new Map<number, { cpuSeconds: number; at: number }>();

  constructor(private readonly readUsage: Reader = readGroups) {}

  read(pgids: ReadonlySet<number>): Map<number, ProcStats> {
    const { at, groups } = this.readUsage(pgids);
    const out = new Map<number, ProcStats>();
    const next = new Map<number, { cpuSeconds: number; at: number }>();
    for (const [pgid, g] of groups) {
      const last = this.previous.get(pgid);
      const elapsed = last ? at - last.at : at - g.startSeconds;
      const used = last ? g.cpuSeconds - last.cpuSeconds : g.cpuSeconds;
      const cpu = elapsed > 0 ? Math.max(0, (used / elapsed) * 100) : 0;
      out.set(pgid, { cpu: Math.round(cpu * 10) / 10, memoryBytes: g.memoryBytes });
      next.set(pgid, { cpuSeconds: g.cpuSeconds, at });
    }
    this.previous = next;
    return out;
  }
}
