/**
 * OTLP/protobuf log requests (opentelemetry/proto/collector/logs/v1 ExportLogsServiceRequest), read
 * with the same wire reader as the traces (otlp-proto.ts): the few fields the console shows, unknown
 * ones skipped. Pure; never throws.
 */
import protobuf from "protobufjs/minimal.js";
import { type DecodedLogs, emptyLogRecord, finishLogRecord, type LogRecord, type RawLogRecord } from "./log-record.js";
import { anyValue, attributeInto, hex, LENGTH_DELIMITED, message, nanos, type Reader, sub } from "./otlp-proto.js";

const FIXED64 = 1;
const VARINT = 0;

/** LogRecord { fixed64 time_unix_nano = 1; SeverityNumber severity_number = 2; string severity_text = 3;
 *  AnyValue body = 5; repeated KeyValue attributes = 6; bytes trace_id = 9; bytes span_id = 10;
 *  fixed64 observed_time_unix_nano = 11 } */
function logRecord(r: Reader, end: number): RawLogRecord {
  const raw = emptyLogRecord();
  message(r, end, (tag, wire) => {
    if (wire === LENGTH_DELIMITED) {
      if (tag === 3) raw.severityText = r.string();
      else if (tag === 5) raw.body = anyValue(r, sub(r), 0);
      else if (tag === 6) attributeInto(r, raw.attributes);
      else if (tag === 9) raw.traceId = hex(r.bytes());
      else if (tag === 10) raw.spanId = hex(r.bytes());
      else return false;
    } else if (tag === 1 && wire === FIXED64) raw.timeNanos = nanos(r);
    else if (tag === 11 && wire === FIXED64) raw.observedNanos = nanos(r);
    else if (tag === 2 && wire === VARINT) raw.severityNumber = r.int32();
    else return false;
    return true;
  });
  return raw;
}

function decode(body: Uint8Array): DecodedLogs {
  const r = protobuf.Reader.create(body);
  const records: LogRecord[] = [];
  message(r, r.len, (tag, wire) => {
    if (tag !== 1 || wire !== LENGTH_DELIMITED) return false;
    // ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2 }
    const resource: Record<string, string> = Object.create(null);
    const raws: RawLogRecord[] = [];
    message(r, sub(r), (t, w) => {
      if (w !== LENGTH_DELIMITED) return false;
      if (t === 1)
        message(r, sub(r), (rt, rw) => {
          if (rt !== 1 || rw !== LENGTH_DELIMITED) return false;
          attributeInto(r, resource);
          return true;
        });
      else if (t === 2)
        // ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2 }
        message(r, sub(r), (st, sw) => {
          if (st !== 2 || sw !== LENGTH_DELIMITED) return false;
          raws.push(logRecord(r, sub(r)));
          return true;
        });
      else return false;
      return true;
    });
    // The resource may come after its records on the wire: name the service once all is read.
    for (const raw of raws) records.push(finishLogRecord(raw, resource));
    return true;
  });
  return { records };
}

/** Decodes a request body, or returns why it is not an OTLP/protobuf log request. */
export function decodeProtoLogs(body: Uint8Array): DecodedLogs | string {
  try {
    return decode(body);
  } catch (error) {
    return `the body is not a protobuf ExportLogsServiceRequest (${error instanceof Error ? error.message : String(error)})`;
  }
}
