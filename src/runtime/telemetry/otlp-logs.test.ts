/**
 * The OTLP receiver's `/v1/logs`: records sent by OpenTelemetry's own log exporters (protobuf and
 * JSON) arrive whole; bad bodies get 400 with the reason; no body, in either encoding, makes a
 * decoder throw or the server stop (fuzz).
 */
import { context, trace } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as ProtoLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, type LogRecordExporter, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { jsonWithKeys } from "../../test-support/json-arbitrary.js";
import { request } from "../gateway/testing.js";
import { type LogRecord, logLineOf, severityName } from "./log-record.js";
import { decodeJsonLogs } from "./otlp-logs-json.js";
import { decodeProtoLogs } from "./otlp-logs-proto.js";
import { startOtlpServer } from "./otlp-server.js";
import { SpanStore } from "./span-store.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function receiver() {
  const records: LogRecord[] = [];
  const store = new SpanStore(10);
  const server = await startOtlpServer({ store, logs: (batch) => records.push(...batch) });
  cleanup.push(() => server.close());
  return { server, records, store };
}

const TRACE = "5b8efff798038103d269b633813fc60c";
const SPAN = "eee19b7ec3c1b174";

/** Emits two records through an OpenTelemetry SDK log exporter, the second inside a span's context. */
async function sendLogs(exporter: LogRecordExporter, service: string) {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger("cairn-test");
  logger.emit({ severityNumber: SeverityNumber.INFO, severityText: "INFO", body: "order 42 paid", attributes: { "order.id": 42 } });
  const inSpan = trace.setSpanContext(context.active(), { traceId: TRACE, spanId: SPAN, traceFlags: 1 });
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    body: { reason: "card declined", code: 402 },
    context: inSpan,
    timestamp: new Date("2026-12-07T03:00:00Z"),
  });
  await provider.forceFlush();
  await provider.shutdown();
}

describe("OTLP logs, with OpenTelemetry's own exporters", () => {
  for (const [encoding, make] of [
    ["protobuf (exporter-logs-otlp-proto)", (url: string) => new ProtoLogExporter({ url })],
    ["JSON (exporter-logs-otlp-http)", (url: string) => new JsonLogExporter({ url })],
  ] as const)
    it(`receives records sent as ${encoding}: service, severity, body, attributes, time and trace`, async () => {
      const { server, records } = await receiver();
      await sendLogs(make(`${server.endpoint}/v1/logs`), "orders");
      expect(records).toHaveLength(2);
      const [info, error] = records;
      expect(info).toMatchObject({ service: "orders", severityNumber: 9, severityText: "INFO", body: "order 42 paid", traceId: null, spanId: null });
      expect(info?.attributes).toEqual({ "order.id": "42" });
      expect(info?.time).toBeGreaterThan(Date.UTC(2020, 0, 1));
      expect(error).toMatchObject({ severityNumber: 17, traceId: TRACE, spanId: SPAN, time: Date.parse("2026-12-07T03:00:00Z") });
      expect(error?.body).toMatch(/^\{reason: card declined, code: 402\}$/);
      const line = logLineOf(error as LogRecord, () => new Date(0));
      expect(line).toMatchObject({ source: "orders", stream: "err" });
      expect(line.text).toBe(`ERROR {reason: card declined, code: 402} trace_id=${TRACE} span_id=${SPAN}`);
      expect(line.time.toISOString()).toBe("2026-12-07T03:00:00.000Z");
    });
});

describe("OTLP logs: a record as a line", () => {
  const base: LogRecord = { service: "api", time: null, severityNumber: 0, severityText: "", body: "hello", attributes: {}, traceId: null, spanId: null };

  it("names severities by their number, else keeps a short text; times out of a date's range read as now", () => {
    expect([0, 1, 5, 9, 13, 16, 17, 21, 24, 25].map(severityName)).toEqual(["", "TRACE", "DEBUG", "INFO", "WARN", "WARN", "ERROR", "FATAL", "FATAL", ""]);
    const now = new Date("2026-12-07T00:00:00Z");
    const line = logLineOf({ ...base, severityText: "Notice\nme please, a very long level", time: 1e20 }, () => now);
    expect(line.text).toBe("Notice me please hello");
    expect(line.time).toBe(now);
    expect(line.stream).toBe("out");
  });
});

describe("OTLP logs: bad requests", () => {
  it("answers 400 to bodies that are not log requests, with the reason, and keeps nothing", async () => {
    const { server, records } = await receiver();
    const json = { "content-type": "application/json" };
    const proto = { "content-type": "application/x-protobuf" };
    for (const [headers, body, reason] of [
      [json, "{not json", /not JSON/],
      [json, "[]", /not an ExportLogsServiceRequest/],
      [json, '{"resourceLogs": 3}', /resourceLogs is not a list/],
      [json, '{"resourceLogs": [{"scopeLogs": [{"logRecords": [7]}]}]}', /a log record is not an object/],
      [json, '{"resourceLogs": [{"resource": {"attributes": 1}}]}', /resource.attributes is not a list/],
      [proto, Buffer.from([0x0a, 0x20, 0x01]), /runs past|index out of range/],
      [proto, Buffer.from([0x00]), /field number 0|protobuf/],
      [{ ...proto, "content-encoding": "gzip" }, Buffer.from("not gzip"), /gzip/],
    ] as const) {
      const reply = await request(server.port, "/v1/logs", { method: "POST", headers, body });
      expect(reply.status, String(body)).toBe(400);
      expect(JSON.parse(reply.body).message).toMatch(reason);
    }
    expect(records).toEqual([]);
    expect((await request(server.port, "/v1/logs")).status).toBe(405);
    expect((await request(server.port, "/v1/metrics", { method: "POST", headers: json, body: "{}" })).status).toBe(404);
  });

  it("keeps a record whose trace or span id is malformed, without the id", () => {
    const body = JSON.stringify({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: "x" }, traceId: "zz", spanId: "00000000000000000" }] }] }],
    });
    const decoded = decodeJsonLogs(body);
    expect(decoded).toEqual({ records: [expect.objectContaining({ body: "x", traceId: null, spanId: null, service: "unknown_service" })] });
  });

  it("never throws on any body, in either encoding (fuzz)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const proto = decodeProtoLogs(bytes);
        expect(typeof proto === "string" || Array.isArray(proto.records)).toBe(true);
        const json = decodeJsonLogs(Buffer.from(bytes).toString("utf8"));
        expect(typeof json === "string" || Array.isArray(json.records)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    const anyJson = jsonWithKeys([
      "resourceLogs",
      "scopeLogs",
      "logRecords",
      "resource",
      "attributes",
      "key",
      "value",
      "body",
      "stringValue",
      "kvlistValue",
      "arrayValue",
      "values",
      "severityNumber",
      "severityText",
      "timeUnixNano",
      "observedTimeUnixNano",
      "traceId",
      "spanId",
    ]);
    fc.assert(
      fc.property(anyJson, (doc) => {
        const out = decodeJsonLogs(JSON.stringify(doc));
        if (typeof out === "string") return;
        // Every record decoded makes a line the log view can keep.
        for (const record of out.records) expect(logLineOf(record, () => new Date(0)).time.toISOString()).toMatch(/^[+-]?\d{4,6}-/);
      }),
      { numRuns: 1000 },
    );
  });

  it("answers every fuzzed request with 200 or 400 and keeps serving (fuzz through the server)", async () => {
    const { server, records } = await receiver();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.boolean(), async (bytes, asJson) => {
        const reply = await request(server.port, "/v1/logs", {
          method: "POST",
          headers: { "content-type": asJson ? "application/json" : "application/x-protobuf" },
          body: Buffer.from(bytes),
        });
        expect([200, 400]).toContain(reply.status);
      }),
      { numRuns: 150 },
    );
    const before = records.length;
    const body = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: "still here" } }] }] }] });
    expect((await request(server.port, "/v1/logs", { method: "POST", headers: { "content-type": "application/json" }, body })).status).toBe(200);
    expect(records.slice(before).map((r) => r.body)).toContain("still here");
  });
});
