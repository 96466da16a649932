/** A span as the console shows it, whether the gateway recorded it or a process sent it over OTLP. */
export interface SpanRecord {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  /** `service.name` of the resource that sent it (OTEL_SERVICE_NAME), or "cairn-gateway". */
  readonly service: string;
  /** Epoch milliseconds (fractional: OTLP times are in nanoseconds). */
  readonly start: number;
  readonly durationMs: number;
  /** OTLP status: 0 unset, 1 ok, 2 error; for the gateway's spans, 2 when it answered 5xx. */
  readonly statusCode: number;
  readonly statusMessage: string;
  /** OTLP span kind (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer). */
  readonly kind: number;
  /** String forms of the span's attributes (at most 32 kept, values cut at 256 characters). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Lowercase hex id of `bytes` bytes, not all zero; what both OTLP encodings must give. */
export function validId(id: string, bytes: number): boolean {
  return id.length === bytes * 2 && /^[0-9a-f]+$/.test(id) && !/^0+$/.test(id);
}
