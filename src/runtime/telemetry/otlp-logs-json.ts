/**
 * OTLP/JSON log requests (ExportLogsServiceRequest in the protobuf JSON mapping: lowerCamelCase keys,
 * ids as hex strings, 64-bit integers as strings or numbers). Pure; never throws: a body that is not
 * such a document is an error message.
 */
import { type DecodedLogs, emptyLogRecord, finishLogRecord, type LogRecord } from "./log-record.js";
import { anyValue, attributes, isObject, type Json, list, nanos, str } from "./otlp-json.js";

function record(item: Record<string, Json>, resource: Readonly<Record<string, string>>): LogRecord {
  const raw = emptyLogRecord();
  raw.timeNanos = nanos(item.timeUnixNano);
  raw.observedNanos = nanos(item.observedTimeUnixNano);
  raw.severityNumber = typeof item.severityNumber === "number" ? item.severityNumber : 0;
  raw.severityText = str(item.severityText);
  raw.body = anyValue(item.body);
  raw.attributes = attributes(item.attributes) ?? raw.attributes;
  raw.traceId = str(item.traceId).toLowerCase();
  raw.spanId = str(item.spanId).toLowerCase();
  return finishLogRecord(raw, resource);
}

/** Decodes a request body, or returns why it is not an OTLP/JSON log request. */
export function decodeJsonLogs(body: string): DecodedLogs | string {
  let doc: Json;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    return `the body is not JSON (${(error as Error).message})`;
  }
  if (!isObject(doc)) return "the body is not an ExportLogsServiceRequest object";
  const resourceLogs = list(doc.resourceLogs);
  if (resourceLogs === null) return "resourceLogs is not a list";
  const records: LogRecord[] = [];
  for (const rl of resourceLogs) {
    if (!isObject(rl)) return "an entry of resourceLogs is not an object";
    const resource = isObject(rl.resource) ? attributes(rl.resource.attributes) : {};
    if (resource === null) return "resource.attributes is not a list";
    const scopes = list(rl.scopeLogs);
    if (scopes === null) return "scopeLogs is not a list";
    for (const sl of scopes) {
      if (!isObject(sl)) return "an entry of scopeLogs is not an object";
      const items = list(sl.logRecords);
      if (items === null) return "logRecords is not a list";
      for (const item of items) {
        if (!isObject(item)) return "a log record is not an object";
        records.push(record(item, resource));
      }
    }
  }
  return { records };
}
