/**
 * What the console remembers over time, each list bounded: per replica its CPU and memory samples
 * (the last 150) and its state changes (the last 50); per job its runs seen (the last 20).
 */
import type { RunRecord } from "../runtime/scheduler/job-state.js";
import type { PsReport } from "../runtime/stack-runner/snapshot.js";
import { Ring } from "./ring.js";

export const SAMPLES = 150;
export const STATE_CHANGES = 50;
export const RUNS = 20;

export interface Sample {
  readonly time: string;
  readonly cpu: number | null;
  readonly memoryBytes: number | null;
}

export interface StateChange {
  readonly time: string;
  readonly state: string;
  readonly health: string | null;
  readonly pid: number | null;
}

export class History {
  private readonly samples = new Map<string, Ring<Sample>>();
  private readonly changes = new Map<string, Ring<StateChange>>();
  private readonly runs = new Map<string, Ring<RunRecord>>();

  /** Records a snapshot: a sample per replica, a change when its state, health or pid moved, runs seen. */
  record(report: PsReport, time: string): void {
    for (const service of report.services)
      for (const r of service.replicas) {
        ring(this.samples, r.id, SAMPLES).push({ time, cpu: r.cpu, memoryBytes: r.memoryBytes });
        this.change(r.id, { time, state: r.state, health: r.health, pid: r.pid });
      }
    for (const job of report.jobs) if (job.lastRun) this.run(job.name, job.lastRun);
  }

  /** Records a replica's state when it differs from the last one recorded. */
  change(id: string, change: StateChange): void {
    const list = ring(this.changes, id, STATE_CHANGES);
    const last = list.toArray().at(-1);
    if (last && last.state === change.state && last.health === change.health && last.pid === change.pid) return;
    list.push(change);
  }

  /** Records a job's run, replacing the entry of the same run id. */
  run(job: string, record: RunRecord): void {
    const list = ring(this.runs, job, RUNS);
    const all = list.toArray();
    const same = all.findIndex((r) => r.id === record.id);
    if (same === -1) {
      list.push(record);
      return;
    }
    if (JSON.stringify(all[same]) === JSON.stringify(record)) return;
    const fresh = new Ring<RunRecord>(RUNS);
    for (const r of all) fresh.push(r.id === record.id ? record : r);
    this.runs.set(job, fresh);
  }

  samplesOf(id: string): Sample[] {
    return this.samples.get(id)?.toArray() ?? [];
  }

  changesOf(id: string): StateChange[] {
    return this.changes.get(id)?.toArray() ?? [];
  }

  /** A job's runs, newest first. */
  runsOf(job: string): RunRecord[] {
    return (this.runs.get(job)?.toArray() ?? []).reverse();
  }
}

function ring<T>(map: Map<string, Ring<T>>, key: string, capacity: number): Ring<T> {
  let found = map.get(key);
  if (!found) {
    found = new Ring<T>(capacity);
    map.set(key, found);
  }
  return found;
}
