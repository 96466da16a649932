/**
 * The last N requests through the gateway, in a ring of preallocated columns: recording one writes
 * a slot of each column, so the hot path allocates nothing and memory stays fixed however many
 * requests pass. The request's own strings (id, path, trace and span ids) are copied into byte
 * columns (see `text-column.ts`) rather than kept, so they die young; the others (method, route,
 * service, replica) are the gateway's shared strings. The path is masked (credential-like query
 * values) when read, not when written. Pure.
 *
 * Memory bound: N slots (default 2,000) of about 48 bytes of numbers and 64 + 256 + 32 + 16 + 16
 * bytes of text, about 0.9 MB for 2,000 slots whatever passes; a path or id longer than its slot
 * is kept by reference (up to the 16 kB head limit, so N x 16 kB = 32 MB in the worst case).
 */
import { maskPath } from "../gateway/access-log.js";
import { TextColumn } from "./text-column.js";

/** One request as the console shows it; it is also the gateway's span of the request's trace. */
export interface RequestRecord {
  /** Epoch milliseconds when the request arrived (the span's start). */
  readonly start: number;
  readonly durationMs: number;
  readonly id: string;
  readonly method: string;
  /** Path and query as received, credential-like query values replaced by `***` (as the access log). */
  readonly path: string;
  readonly status: number;
  /** The route's label (see `routeLabel`), or null when no route matched. */
  readonly route: string | null;
  readonly service: string | null;
  /** The replica that answered, or null when the gateway answered itself. */
  readonly replica: string | null;
  /** Why the gateway answered itself or cut the exchange. */
  readonly error: string | null;
  /** Trace id, the gateway's span id and its parent's (the client's span, when it sent one), or null. */
  readonly traceId: string | null;
  readonly spanId: string | null;
  readonly parentSpanId: string | null;
}

/** What the gateway passes for each request (the path unmasked: masking happens on read). */
export type RequestEntry = RequestRecord;

export const DEFAULT_RING_SIZE = 2_000;
/** Bytes a slot gives a request id and a path (longer ones are kept by reference). */
const ID_WIDTH = 64;
const PATH_WIDTH = 256;

export class RequestRing {
  readonly size: number;
  private next = 0;
  private filled = 0;
  private readonly starts: Float64Array;
  private readonly durations: Float64Array;
  private readonly statuses: Uint16Array;
  private readonly ids: TextColumn;
  private readonly methods: (string | null)[];
  private readonly paths: TextColumn;
  private readonly routes: (string | null)[];
  private readonly services: (string | null)[];
  private readonly replicas: (string | null)[];
  private readonly errors: (string | null)[];
  private readonly traces: TextColumn;
  private readonly spans: TextColumn;
  private readonly parents: TextColumn;

  constructor(size = DEFAULT_RING_SIZE) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a request ring holds at least 1 request, not ${size}`);
    this.size = size;
    this.starts = new Float64Array(size);
    this.durations = new Float64Array(size);
    this.statuses = new Uint16Array(size);
    const column = () => new Array<string | null>(size).fill(null);
    this.ids = new TextColumn(size, ID_WIDTH);
    this.methods = column();
    this.paths = new TextColumn(size, PATH_WIDTH);
    this.routes = column();
    this.services = column();
    this.replicas = column();
    this.errors = column();
    this.traces = new TextColumn(size, 32);
    this.spans = new TextColumn(size, 16);
    this.parents = new TextColumn(size, 16);
  }

  /** Requests held (at most `size`). */
  get length(): number {
    return this.filled;
  }

  write(e: RequestEntry): void {
    const i = this.next;
    this.starts[i] = e.start;
    this.durations[i] = e.durationMs;
    this.statuses[i] = e.status;
    this.ids.set(i, e.id);
    this.methods[i] = e.method;
    this.paths.set(i, e.path);
    this.routes[i] = e.route;
    this.services[i] = e.service;
    this.replicas[i] = e.replica;
    this.errors[i] = e.error;
    this.traces.set(i, e.traceId);
    this.spans.set(i, e.spanId);
    this.parents.set(i, e.parentSpanId);
    this.next = i + 1 === this.size ? 0 : i + 1;
    if (this.filled < this.size) this.filled++;
  }

  private read(i: number): RequestRecord {
    return {
      start: this.starts[i] ?? 0,
      durationMs: this.durations[i] ?? 0,
      id: this.ids.get(i) ?? "",
      method: this.methods[i] ?? "",
      path: maskPath(this.paths.get(i) ?? ""),
      status: this.statuses[i] ?? 0,
      route: this.routes[i] ?? null,
      service: this.services[i] ?? null,
      replica: this.replicas[i] ?? null,
      error: this.errors[i] ?? null,
      traceId: this.traces.get(i),
      spanId: this.spans.get(i),
      parentSpanId: this.parents.get(i),
    };
  }

  /** The newest `limit` requests (all held by default), newest first. */
  latest(limit = this.size): RequestRecord[] {
    const out: RequestRecord[] = [];
    const n = Math.min(Math.max(0, Math.floor(limit)), this.filled);
    for (let k = 1; k <= n; k++) out.push(this.read((this.next - k + this.size) % this.size));
    return out;
  }

  /** The held requests of one trace (the gateway's spans in it), oldest first. */
  ofTrace(traceId: string): RequestRecord[] {
    const out: RequestRecord[] = [];
    for (let k = this.filled; k >= 1; k--) {
      const i = (this.next - k + this.size) % this.size;
      if (this.traces.equals(i, traceId)) out.push(this.read(i));
    }
    return out;
  }
}
