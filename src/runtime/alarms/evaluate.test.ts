import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { type AlarmTrack, initialTrack, type Sample, stepAlarm } from "./evaluate.js";

const alarms = stackFrom(`name: t
services:
  web: { run: node app.js, port: 3000 }
alarms: [ "cpu > 80% for 2m", "p95 > 3s for 30s", "error_rate >= 5% for 0s", { metric: memory, op: "<", threshold: 10%, for: 1m } ]
`).alarms;
const [cpu, p95, errors, memory] = alarms as [(typeof alarms)[0], (typeof alarms)[0], (typeof alarms)[0], (typeof alarms)[0]];

/** Steps the alarm through samples taken every `everyMs` from t = 0. */
function run(alarm: typeof cpu, samples: readonly Sample[], everyMs = 30_000): AlarmTrack[] {
  const out: AlarmTrack[] = [];
  let track = initialTrack(0);
  samples.forEach((s, i) => {
    track = stepAlarm(alarm, track, s, i * everyMs);
    out.push(track);
  });
  return out;
}

describe("stepAlarm", () => {
  it("goes to ALARM once every sample breached for the whole duration, and says since when", () => {
    const states = run(cpu, [50, 90, 95, 85, 90, 99]);
    expect(states.map((t) => t.state)).toEqual(["OK", "OK", "OK", "OK", "OK", "ALARM"]);
    expect(states[5]).toEqual({ state: "ALARM", since: 150_000, breachSince: 30_000, value: 99 });
    expect(states[4]?.since).toBe(0);
  });

  it("starts over when one sample does not breach, and a gap (no data) does not breach", () => {
    expect(run(cpu, [90, 90, 90, 70, 90, 90, 90, 90, 90]).map((t) => t.state)).toEqual(["OK", "OK", "OK", "OK", "OK", "OK", "OK", "OK", "ALARM"]);
    expect(run(cpu, [90, 90, 90, 90, 90, null, 90]).map((t) => t.state)).toEqual(["OK", "OK", "OK", "OK", "ALARM", "OK", "OK"]);
  });

  it("is INSUFFICIENT_DATA before any data, and for good when the metric is not measured", () => {
    expect(run(cpu, [null, null, 90]).map((t) => t.state)).toEqual(["INSUFFICIENT_DATA", "INSUFFICIENT_DATA", "OK"]);
    expect(run(cpu, [90, undefined]).map((t) => t.state)).toEqual(["OK", "INSUFFICIENT_DATA"]);
  });

  it("reads thresholds in the model's units and honours each comparison", () => {
    expect(p95.threshold).toBe(3000);
    expect(run(p95, [3001, 3200], 30_000).map((t) => t.state)).toEqual(["OK", "ALARM"]);
    expect(run(p95, [3000, 3000]).map((t) => t.state)).toEqual(["OK", "OK"]);
    expect(run(errors, [5]).map((t) => t.state)).toEqual(["ALARM"]);
    expect(run(memory, [5, 5, 5], 30_000).map((t) => t.state)).toEqual(["OK", "OK", "ALARM"]);
  });

  it("for any samples: ALARM exactly when the last unbroken run of breaches lasted the duration", () => {
    const sample = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 100 }));
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 30 }), fc.integer({ min: 1, max: 120 }), (samples, step) => {
        const states = run(cpu, samples, step * 1000);
        samples.forEach((_, i) => {
          let first = i;
          while (first >= 0 && (samples[first] ?? 0) > 80) first--;
          const lasted = (i - (first + 1)) * step * 1000;
          const breaching = (samples[i] ?? 0) > 80;
          const anyData = samples.slice(0, i + 1).some((s) => s !== null);
          const expected = !anyData ? "INSUFFICIENT_DATA" : breaching && lasted >= cpu.forMs ? "ALARM" : "OK";
          expect(states[i]?.state).toBe(expected);
        });
      }),
    );
  });
});
