/**
 * OTLP/protobuf log requests (opentelemetry/proto/collector/logs/v1 ExportLogsServiceRequest), read
 * with the same wire reader as the traces (otlp-proto.ts): the few fields the console shows, unknown
 * ones skipped. Pure; never throws.
 */
import { type DecodedLogs, emptyLogRecord, finishLogRecord, type LogRecord, type RawLogRecord } from "./log-record.js";
import { anyValue, attributeInto, hex, LENGTH_DELIMITED, message, nanos, type Reader, readResources, sub } from "./otlp-proto.js";

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
  const records: LogRecord[] = [];
  readResources(body, logRecord, (raws, resource) => {
    for (const raw of raws) records.push(finishLogRecord(raw, resource));
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
