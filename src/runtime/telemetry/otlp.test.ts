import { gzipSync } from "node:zlib";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { jsonWithKeys } from "../../test-support/json-arbitrary.js";
import { request } from "../gateway/testing.js";
import { MAX_OTLP_BODY } from "./otlp-handler.js";
import { decodeJsonTraces } from "./otlp-json.js";
import { decodeProtoTraces } from "./otlp-proto.js";
import { startOtlpServer } from "./otlp-server.js";
import { SpanStore } from "./span-store.js";

type ProtoOptions = NonNullable<ConstructorParameters<typeof ProtoExporter>[0]>;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function receiver(store = new SpanStore(100)) {
  const server = await startOtlpServer({ store });
  cleanup.push(() => server.close());
  return { server, store };
}

/** Sends one real span through an OpenTelemetry SDK exporter; returns its ids. */
async function sendSpan(exporter: SpanExporter, service: string) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const span = provider.getTracer("cairn-test").startSpan("load orders", { attributes: { "db.system": "postgresql", rows: 12 } });
  span.end();
  await provider.forceFlush();
  await provider.shutdown();
  return span.spanContext();
}

describe("OTLP receiver, with OpenTelemetry's own exporters", () => {
  it("stores a span sent as protobuf (exporter-trace-otlp-proto) with its trace id, service and attributes", async () => {
    const { server, store } = await receiver();
    const ctx = await sendSpan(new ProtoExporter({ url: `${server.endpoint}/v1/traces` }), "orders");
    const [span] = store.ofTrace(ctx.traceId);
    expect(span).toMatchObject({ traceId: ctx.traceId, spanId: ctx.spanId, parentSpanId: null, name: "load orders", service: "orders" });
    expect(span?.attributes).toMatchObject({ "db.system": "postgresql", rows: "12" });
    expect(span?.start).toBeGreaterThan(Date.UTC(2020, 0, 1));
  });

  it("stores a span sent as JSON (exporter-trace-otlp-http)", async () => {
    const { server, store } = await receiver();
    const ctx = await sendSpan(new JsonExporter({ url: `${server.endpoint}/v1/traces` }), "billing");
    expect(store.ofTrace(ctx.traceId)).toEqual([expect.objectContaining({ spanId: ctx.spanId, service: "billing", name: "load orders" })]);
  });

  it("stores a gzip-compressed protobuf span", async () => {
    const { server, store } = await receiver();
    const ctx = await sendSpan(new ProtoExporter({ url: `${server.endpoint}/v1/traces`, compression: "gzip" as ProtoOptions["compression"] }), "gz");
    expect(store.ofTrace(ctx.traceId)).toHaveLength(1);
  });
});

const TRACE = "5b8efff798038103d269b633813fc60c";
const jsonSpan = (traceId: string, spanId: string) =>
  JSON.stringify({
    resourceSpans: [
      { scopeSpans: [{ spans: [{ traceId, spanId, name: "x", startTimeUnixNano: "1700000000000000000", endTimeUnixNano: "1700000000005000000" }] }] },
    ],
  });

describe("OTLP receiver: bad requests", () => {
  it("answers 400 to bodies that are not trace requests, with the reason", async () => {
    const { server } = await receiver();
    const json = { "content-type": "application/json" };
    const proto = { "content-type": "application/x-protobuf" };
    for (const [headers, body, reason] of [
      [json, "{not json", /not JSON/],
      [json, "[]", /not an ExportTraceServiceRequest/],
      [json, '{"resourceSpans": 3}', /resourceSpans is not a list/],
      [json, '{"resourceSpans": [{"scopeSpans": [{"spans": [7]}]}]}', /a span is not an object/],
      [proto, Buffer.from([0x0a, 0x20, 0x01]), /runs past|index out of range/],
      [proto, Buffer.from([0x00]), /field number 0|protobuf/],
      [{ ...proto, "content-encoding": "gzip" }, Buffer.from("not gzip"), /gzip/],
    ] as const) {
      const reply = await request(server.port, "/v1/traces", { method: "POST", headers, body });
      expect(reply.status, String(body)).toBe(400);
      expect(JSON.parse(reply.body).message).toMatch(reason);
    }
  });

  it("refuses other paths, methods, content types and encodings", async () => {
    const { server } = await receiver();
    expect((await request(server.port, "/v1/logs", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(404);
    expect((await request(server.port, "/v1/traces")).status).toBe(405);
    expect((await request(server.port, "/v1/traces", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" })).status).toBe(415);
    const br = { "content-type": "application/json", "content-encoding": "br" };
    expect((await request(server.port, "/v1/traces", { method: "POST", headers: br, body: "{}" })).status).toBe(415);
  });

  it("limits the body, sent or decompressed", async () => {
    const { server } = await receiver();
    const big = Buffer.alloc(MAX_OTLP_BODY + 1, 32);
    const sent = await request(server.port, "/v1/traces", { method: "POST", headers: { "content-type": "application/json" }, body: big });
    expect(sent.status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024, 32));
    const inflated = await request(server.port, "/v1/traces", {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: bomb,
    });
    expect(inflated.status).toBe(400);
    expect(JSON.parse(inflated.body).message).toMatch(/once decompressed/);
  });

  it("refuses spans with bad ids through partial success, and keeps the others", async () => {
    const { server, store } = await receiver();
    const body = JSON.stringify({
      resourceSpans: [
        { scopeSpans: [{ spans: [JSON.parse(jsonSpan(TRACE, "0102030405060708")).resourceSpans[0].scopeSpans[0].spans[0], { traceId: "00", spanId: "x" }] }] },
      ],
    });
    const reply = await request(server.port, "/v1/traces", { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).partialSuccess.rejectedSpans).toBe("1");
    expect(store.ofTrace(TRACE)).toEqual([expect.objectContaining({ durationMs: 5, service: "unknown_service" })]);
  });

  it("never throws on any body, in either encoding (fuzz)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const proto = decodeProtoTraces(bytes);
        expect(typeof proto === "string" || Array.isArray(proto.spans)).toBe(true);
        const json = decodeJsonTraces(Buffer.from(bytes).toString("utf8"));
        expect(typeof json === "string" || Array.isArray(json.spans)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    const anyJson = jsonWithKeys([
      "resourceSpans",
      "scopeSpans",
      "spans",
      "traceId",
      "spanId",
      "attributes",
      "key",
      "value",
      "arrayValue",
      "values",
      "status",
      "kind",
    ]);
    fc.assert(
      fc.property(anyJson, (doc) => {
        const out = decodeJsonTraces(JSON.stringify(doc));
        expect(typeof out === "string" || Array.isArray(out.spans)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("answers every fuzzed request with 200 or 400 and keeps serving (fuzz through the server)", async () => {
    const { server } = await receiver();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.boolean(), async (bytes, asJson) => {
        const reply = await request(server.port, "/v1/traces", {
          method: "POST",
          headers: { "content-type": asJson ? "application/json" : "application/x-protobuf" },
          body: Buffer.from(bytes),
        });
        expect([200, 400]).toContain(reply.status);
      }),
      { numRuns: 150 },
    );
    expect(
      (await request(server.port, "/v1/traces", { method: "POST", headers: { "content-type": "application/json" }, body: jsonSpan(TRACE, "0a0b0c0d0e0f1011") }))
        .status,
    ).toBe(200);
  });
});
