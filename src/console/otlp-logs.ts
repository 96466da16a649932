/**
 * Log records the stack's processes send over OTLP (`POST /v1/logs`), into the console's log view:
 * each as one line (severity, body, attributes, trace id; see `logLineOf`), the secret values taken
 * out of the whole line before the store cuts it, the newest LOG_CAPACITY of a request kept.
 */
import type { Redact } from "../runtime/env/redact.js";
import { type LogRecord, logLineOf } from "../runtime/telemetry/log-record.js";
import { LOG_CAPACITY, type LogStore } from "./logs.js";

export function keepLogRecords(store: LogStore, records: readonly LogRecord[], redact: Redact, now: () => Date = () => new Date()): void {
  for (const record of records.slice(-LOG_CAPACITY)) {
    const line = logLineOf(record, now);
    store.add({ ...line, source: redact(line.source), text: redact(line.text) });
  }
}
