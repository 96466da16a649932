/**
 * One alarm on one subject, evaluated on samples, pure. As the aws target's CloudWatch alarms (every
 * datapoint of the duration must breach, and missing data does not breach): the alarm is ALARM once its
 * metric has breached at every sample for `forMs`, OK as soon as one sample does not breach, and
 * INSUFFICIENT_DATA until its first sample (or for good, when the metric is not measured locally).
 */
import type { Alarm } from "../../model/types.js";

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/** Where an alarm stands on one subject; `since` and `breachSince` are ms since the epoch. */
export interface AlarmTrack {
  readonly state: AlarmState;
  readonly since: number;
  /** First sample of the current unbroken run of breaching samples, or null. */
  readonly breachSince: number | null;
  /** The last sample's value (null when there was no data). */
  readonly value: number | null;
}

/** A sample: a value, null for no data this time (not breaching), undefined when never measured here. */
export type Sample = number | null | undefined;

export function initialTrack(now: number): AlarmTrack {
  return { state: "INSUFFICIENT_DATA", since: now, breachSince: null, value: null };
}

export function breaches(alarm: Pick<Alarm, "op" | "threshold">, value: number): boolean {
  switch (alarm.op) {
    case ">":
      return value > alarm.threshold;
    case ">=":
      return value >= alarm.threshold;
    case "<":
      return value < alarm.threshold;
    case "<=":
      return value <= alarm.threshold;
  }
}

/** The track after one more sample taken at `now`. */
export function stepAlarm(alarm: Pick<Alarm, "op" | "threshold" | "forMs">, track: AlarmTrack, sample: Sample, now: number): AlarmTrack {
  const move = (state: AlarmState, breachSince: number | null, value: number | null): AlarmTrack => ({
    state,
    since: state === track.state ? track.since : now,
    breachSince,
    value,
  });
  if (sample === undefined) return move("INSUFFICIENT_DATA", null, null);
  if (sample === null) return track.state === "INSUFFICIENT_DATA" ? track : move("OK", null, null);
  if (!breaches(alarm, sample)) return move("OK", null, sample);
  const breachSince = track.breachSince ?? now;
  return move(now - breachSince >= alarm.forMs ? "ALARM" : "OK", breachSince, sample);
}
