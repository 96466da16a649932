import { describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { type MeasuredNow, type RequestWindow, samplesFrom } from "./samples.js";
import { subjectsOf } from "./subjects.js";
import { type AlarmChange, AlarmWatch } from "./watch.js";

const stack = stackFrom(`name: t
services:
  api: { run: node api.js, port: 3000 }
  worker: { run: node worker.js }
resources:
  db: { type: postgres }
routes: [{ path: /, to: api }]
alarms:
  - "cpu > 80% for 1m"
  - "error_rate > 5% for 1m"
  - { metric: p95, threshold: 2s, for: 0s, service: api }
  - "healthy_hosts < 1 for 0s"
  - "db_cpu > 90% for 5m"
`);

const window = (requests: number, errors: number, p95Ms: number | null): RequestWindow => ({ requests, errors, p50Ms: p95Ms, p95Ms, p99Ms: p95Ms });

function measured(cpu: Record<string, number | null>, requests: MeasuredNow["requests"], healthy = 1): MeasuredNow {
  return {
    usage: new Map(Object.entries(cpu).map(([name, value]) => [name, { cpu: value, memory: 10 }])),
    healthyHosts: new Map([["api", healthy]]),
    requests,
  };
}

describe("alarm subjects and samples", () => {
  it("watches what the aws target watches: cpu per service, requests on the edge or the service named", () => {
    const [cpu, errors, p95, healthy, db] = stack.alarms as [never, never, never, never, never];
    expect(subjectsOf(stack, cpu)).toEqual(["api", "worker"]);
    expect(subjectsOf(stack, errors)).toEqual([null]);
    expect(subjectsOf(stack, p95)).toEqual(["api"]);
    expect(subjectsOf(stack, healthy)).toEqual(["api"]);
    expect(subjectsOf(stack, db)).toEqual(["db"]);
  });

  it("computes the error rate as the aws target's expression does, 0 without requests", () => {
    const samples = samplesFrom(measured({}, (subject) => (subject === null ? window(40, 4, 120) : window(0, 0, null))));
    expect(samples("error_rate", null)).toBe(10);
    expect(samples("error_rate", "api")).toBe(0);
    expect(samples("p95", "api")).toBeNull();
    expect(samples("requests", null)).toBe(40);
    expect(samples("cpu", "gone")).toBeNull();
    expect(samplesFrom(measured({}, null))("p95", null)).toBeUndefined();
    expect(samples("db_cpu", "db")).toBeUndefined();
  });
});

describe("AlarmWatch", () => {
  it("evaluates each alarm on each subject, tells changes, and notes what is not measured locally", () => {
    const watch = new AlarmWatch();
    const changes: AlarmChange[] = [];
    watch.onChange((c) => changes.push(c));
    const slowApi = (subject: string | null) => (subject === "api" ? window(10, 0, 2500) : window(10, 1, 300));
    watch.evaluate(stack, samplesFrom(measured({ api: 95, worker: 5 }, slowApi)), 0, true);
    watch.evaluate(stack, samplesFrom(measured({ api: 95, worker: 5 }, slowApi, 0)), 60_000, true);
    const states = watch.states().map((s) => [s.alarm, s.subject, s.state, s.value, s.note]);
    expect(states).toEqual([
      ["cpu > 80% for 1m", "api", "ALARM", 95, null],
      ["cpu > 80% for 1m", "worker", "OK", 5, null],
      ["error_rate > 5% for 1m", null, "ALARM", 10, null],
      ["p95 > 2s", "api", "ALARM", 2500, null],
      ["healthy_hosts < 1 for 0s", "api", "ALARM", 0, null],
      ["db_cpu > 90% for 5m", "db", "INSUFFICIENT_DATA", null, "measured by the managed service only"],
    ]);
    expect(watch.states()[0]?.since).toBe(new Date(60_000).toISOString());
    expect(changes.filter((c) => c.status.state === "ALARM").map((c) => `${c.status.metric}:${c.status.subject}:${c.from}`)).toEqual([
      "p95:api:INSUFFICIENT_DATA",
      "cpu:api:OK",
      "error_rate:null:OK",
      "healthy_hosts:api:OK",
    ]);
  });

  it("keeps the state of alarms that remain when the stack changes, and says when no request metrics exist", () => {
    const watch = new AlarmWatch();
    watch.evaluate(stack, samplesFrom(measured({ api: 95, worker: 5 }, null)), 0, false);
    watch.evaluate(stack, samplesFrom(measured({ api: 95, worker: 5 }, null)), 60_000, false);
    expect(watch.states().find((s) => s.metric === "error_rate")).toMatchObject({ state: "INSUFFICIENT_DATA", note: "no request metrics in this run" });
    const fewer = { ...stack, alarms: stack.alarms.slice(0, 1), services: stack.services.slice(0, 1) };
    watch.evaluate(fewer, samplesFrom(measured({ api: 95 }, null)), 70_000, false);
    expect(watch.states()).toMatchObject([{ subject: "api", state: "ALARM", since: new Date(60_000).toISOString() }]);
  });
});
