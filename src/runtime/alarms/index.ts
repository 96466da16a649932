/**
 * The stack's `alarms`, evaluated live on the local run with the semantics of the aws target's
 * CloudWatch alarms: the same subjects (cpu and memory per service, request metrics on the edge or the
 * service named, healthy_hosts per routed service), ALARM once every sample breached for the alarm's
 * whole duration (datapoints to alarm = evaluation periods), missing data not breaching.
 *
 * - `evaluate.ts`: one alarm on one subject, pure (`stepAlarm`, time passed in).
 * - `samples.ts`: the evaluator's input, a sample per metric per subject (`Samples`), built from the
 *   local measures (`samplesFrom`): replica use, the gateway's healthy targets, and request windows.
 * - `watch.ts`: `AlarmWatch`, the tracks of every alarm and subject.
 *
 * Request metrics (error_rate, p50, p95, p99, requests) come from any source shaped as `RequestWindows`:
 * `(subject: string | null) => RequestWindow | null`, the requests of the last minute of a service (or,
 * for null, of the whole edge) with their 5xx count and latency percentiles in ms. The stack runner
 * passes it to its monitor (`requests` in runner.ts, `() => null` until wired); `traffic.ts` turns the
 * gateway telemetry's per-service summaries into it (`windowsFromTraffic`, with `TrafficWindow` for the
 * trailing minute; its doc comment has the wiring). Unwired, those alarms stay INSUFFICIENT_DATA with
 * the note "no request metrics in this run". db_cpu, db_connections and
 * cache_hit_rate are measured by the managed services only, and stay INSUFFICIENT_DATA locally.
 *
 * In-process API (for the console and `cairn ps`): a running `StackRunner`'s `runner.parts.monitor.alarms`
 * offers
 * - `states(): AlarmStatus[]`: each alarm on each subject, in the stack's order: `alarm` (as written),
 *   `metric`, `subject` (null: the edge), `op`, `threshold` (percent or ms), `forMs`, `state` ("OK",
 *   "ALARM", "INSUFFICIENT_DATA"), `since` (ISO), the last `value`, and a `note` when it cannot be measured;
 * - `onChange(listener): () => void`: called with `{ status, from }` on each change of state.
 * `cairn ps --json` carries the same states as `alarms`; `cairn ps` shows them in an ALARM table.
 */
export { type AlarmState, type AlarmTrack, breaches, initialTrack, type Sample, stepAlarm } from "./evaluate.js";
export { type MeasuredNow, type RequestWindow, type RequestWindows, type Samples, samplesFrom } from "./samples.js";
export { REQUEST_METRICS, STORE_METRICS, subjectsOf } from "./subjects.js";
export { type ServiceTraffic, TrafficWindow, windowsFromTraffic } from "./traffic.js";
export { type AlarmChange, type AlarmStatus, AlarmWatch } from "./watch.js";
