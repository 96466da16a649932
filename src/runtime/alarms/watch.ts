/**
 * The stack's alarms evaluated live: one track per alarm and subject, stepped at each sample, and the
 * states as `cairn ps` and the console show them. The stack may change (reload): tracks of alarms and
 * subjects that remain keep their state.
 */
import type { Alarm, Stack } from "../../model/types.js";
import { type AlarmState, type AlarmTrack, initialTrack, stepAlarm } from "./evaluate.js";
import type { Samples } from "./samples.js";
import { STORE_METRICS, subjectsOf } from "./subjects.js";

/** One alarm on one subject, as `cairn ps --json` and the console show it. */
export interface AlarmStatus {
  /** The alarm as written in the stack file. */
  readonly alarm: string;
  readonly metric: string;
  /** The service or resource watched, or null for the whole edge. */
  readonly subject: string | null;
  readonly op: Alarm["op"];
  /** In the metric's unit: percent for cpu, memory and error_rate, ms for latencies. */
  readonly threshold: number;
  readonly forMs: number;
  readonly state: AlarmState;
  /** ISO time the state began. */
  readonly since: string;
  /** The last sample, or null. */
  readonly value: number | null;
  /** Why there is no data, when the local run cannot measure the metric. */
  readonly note: string | null;
}

export interface AlarmChange {
  readonly status: AlarmStatus;
  readonly from: AlarmState;
}

const key = (alarm: Alarm, subject: string | null) => `${alarm.source}\u0000${alarm.service ?? ""}\u0000${subject ?? ""}`;

function noteOf(metric: string, requestsMeasured: boolean): string | null {
  if ((STORE_METRICS as readonly string[]).includes(metric)) return "measured by the managed service only";
  if (!requestsMeasured && !["cpu", "memory", "healthy_hosts"].includes(metric)) return "no request metrics in this run";
  return null;
}

export class AlarmWatch {
  private tracks = new Map<string, { alarm: Alarm; subject: string | null; track: AlarmTrack; note: string | null }>();
  private readonly listeners = new Set<(change: AlarmChange) => void>();

  /** Steps every alarm of `stack` with this moment's samples (taken at `now`, ms since the epoch). */
  evaluate(stack: Stack, samples: Samples, now: number, requestsMeasured: boolean): void {
    const next = new Map<string, { alarm: Alarm; subject: string | null; track: AlarmTrack; note: string | null }>();
    for (const alarm of stack.alarms) {
      for (const subject of subjectsOf(stack, alarm)) {
        const k = key(alarm, subject);
        const before = this.tracks.get(k)?.track ?? initialTrack(now);
        const track = stepAlarm(alarm, before, samples(alarm.metric, subject), now);
        const entry = { alarm, subject, track, note: track.state === "INSUFFICIENT_DATA" ? noteOf(alarm.metric, requestsMeasured) : null };
        next.set(k, entry);
        if (track.state !== before.state) for (const listener of this.listeners) listener({ status: statusOf(entry), from: before.state });
      }
    }
    this.tracks = next;
  }

  /** Every alarm on every subject, in the stack's order. */
  states(): AlarmStatus[] {
    return [...this.tracks.values()].map(statusOf);
  }

  /** Calls `listener` on each change of state; returns the removal. */
  onChange(listener: (change: AlarmChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function statusOf(entry: { alarm: Alarm; subject: string | null; track: AlarmTrack; note: string | null }): AlarmStatus {
  const { alarm, subject, track } = entry;
  return {
    alarm: alarm.source,
    metric: alarm.metric,
    subject,
    op: alarm.op,
    threshold: alarm.threshold,
    forMs: alarm.forMs,
    state: track.state,
    since: new Date(track.since).toISOString(),
    value: track.value === null ? null : Math.round(track.value * 10) / 10,
    note: entry.note,
  };
}
