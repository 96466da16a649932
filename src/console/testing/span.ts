/** A span record for the console's tests: an api server span of 1 ms, OK, with what the test changes. */
import type { SpanRecord } from "../../runtime/telemetry/span.js";

export function spanRecord(patch: Partial<SpanRecord> & Pick<SpanRecord, "traceId" | "spanId">): SpanRecord {
  return {
    parentSpanId: null,
    name: "span",
    service: "api",
    start: 0,
    durationMs: 1,
    statusCode: 0,
    statusMessage: "",
    kind: 2,
    attributes: {},
    ...patch,
  };
}
