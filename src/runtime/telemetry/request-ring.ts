/**
 * The last N requests through the gateway, in preallocated rows: recording one fills a row of
 * numbers, a row of shared strings and a run of bytes, so the hot path allocates nothing, touches a
 * few neighbouring cache lines, and memory stays fixed however many requests pass. The request's own
 * strings (id, path, trace and span ids) are copied into a byte arena (see `text-arena.ts`) rather
 * than kept, so they die young; the others (method, route, service, replica, error) are the
 * gateway's shared strings, kept by reference. The path is masked (credential-like query values)
 * when read, not when written. Pure.
 *
 * Memory bound: N rows (default 2,000) of 24 bytes of numbers, 6 references, 14 bytes of lengths and
 * offset, and a 384-byte share of the arena: about 0.9 MB for 2,000 rows whatever passes. A request
 * whose own strings pass 384 bytes keeps them by reference (up to the 16 kB head limit, so
 * N x 16 kB = 32 MB in the worst case).
 */
import { maskPath } from "../gateway/access-log.js";
import { TextArena } from "./text-arena.js";

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
/** Bytes of its own strings a request copies into the arena at most (more are kept by reference). */
const ROW_TEXT = 384;
/** The row's numbers: start, duration, status. */
const NUMBERS = 3;
/** The row's references: method, route, service, replica, error, and the strings kept by reference. */
const REFERENCES = 6;
const KEPT = 5;
/** The row's text lengths: id, path, trace id, span id, parent span id. */
const TEXTS = 5;
const NULL = 0xffff;
const BY_REFERENCE = 0xffffffff;

export class RequestRing {
  readonly size: number;
  private next = 0;
  private filled = 0;
  private readonly numbers: Float64Array;
  private readonly references: (string | null | readonly (string | null)[])[];
  /** Where the row's text starts in the arena, or BY_REFERENCE. */
  private readonly offsets: Uint32Array;
  private readonly lengths: Uint16Array;
  private readonly text: TextArena;

  constructor(size = DEFAULT_RING_SIZE) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a request ring holds at least 1 request, not ${size}`);
    this.size = size;
    this.numbers = new Float64Array(size * NUMBERS);
    this.references = new Array<string | null>(size * REFERENCES).fill(null);
    this.offsets = new Uint32Array(size);
    this.lengths = new Uint16Array(size * TEXTS).fill(NULL);
    // One row's share more than N rows need: a run never wraps, so the end of the arena may be
    // left unused once per turn, and the newest N runs are never overwritten.
    this.text = new TextArena((size + 1) * ROW_TEXT);
  }

  /** Requests held (at most `size`). */
  get length(): number {
    return this.filled;
  }

  write(e: RequestEntry): void {
    const i = this.next;
    const n = i * NUMBERS;
    const numbers = this.numbers;
    numbers[n] = e.start;
    numbers[n + 1] = e.durationMs;
    numbers[n + 2] = e.status;
    const r = i * REFERENCES;
    const references = this.references;
    references[r] = e.method;
    references[r + 1] = e.route;
    references[r + 2] = e.service;
    references[r + 3] = e.replica;
    references[r + 4] = e.error;
    references[r + KEPT] = null;
    const { id, path, traceId, spanId, parentSpanId } = e;
    const t = i * TEXTS;
    const lengths = this.lengths;
    lengths[t] = id.length;
    lengths[t + 1] = path.length;
    lengths[t + 2] = traceId === null ? NULL : traceId.length;
    lengths[t + 3] = spanId === null ? NULL : spanId.length;
    lengths[t + 4] = parentSpanId === null ? NULL : parentSpanId.length;
    const total = id.length + path.length + (traceId?.length ?? 0) + (spanId?.length ?? 0) + (parentSpanId?.length ?? 0);
    if (total <= ROW_TEXT) {
      const at = this.text.reserve(total);
      if (this.copyText(at, e)) {
        this.offsets[i] = at;
        this.advance();
        return;
      }
    }
    this.offsets[i] = BY_REFERENCE;
    references[r + KEPT] = [id, path, traceId, spanId, parentSpanId];
    this.advance();
  }

  /** Copies the request's own strings one after another from `at`; false when one is not latin1. */
  private copyText(at: number, e: RequestEntry): boolean {
    const text = this.text;
    let k = at;
    if (!text.copy(k, e.id)) return false;
    k += e.id.length;
    if (!text.copy(k, e.path)) return false;
    k += e.path.length;
    if (e.traceId !== null) {
      if (!text.copy(k, e.traceId)) return false;
      k += e.traceId.length;
    }
    if (e.spanId !== null) {
      if (!text.copy(k, e.spanId)) return false;
      k += e.spanId.length;
    }
    return e.parentSpanId === null || text.copy(k, e.parentSpanId);
  }

  private advance(): void {
    this.next = this.next + 1 === this.size ? 0 : this.next + 1;
    if (this.filled < this.size) this.filled++;
  }

  /** The row's `field`-th own string (0 id, 1 path, 2 trace id, 3 span id, 4 parent span id). */
  private string(i: number, field: number): string | null {
    const at = this.offsets[i] ?? BY_REFERENCE;
    if (at === BY_REFERENCE) return (this.references[i * REFERENCES + KEPT] as readonly (string | null)[])[field] ?? null;
    const t = i * TEXTS;
    const length = this.lengths[t + field] ?? NULL;
    if (length === NULL) return null;
    return this.text.read(at + this.before(t, field), length);
  }

  /** Bytes of the row's strings before its `field`-th. */
  private before(t: number, field: number): number {
    let skip = 0;
    for (let f = 0; f < field; f++) {
      const l = this.lengths[t + f] ?? NULL;
      if (l !== NULL) skip += l;
    }
    return skip;
  }

  private read(i: number): RequestRecord {
    const n = i * NUMBERS;
    const r = i * REFERENCES;
    const reference = (k: number) => (this.references[r + k] as string | null) ?? null;
    return {
      start: this.numbers[n] ?? 0,
      durationMs: this.numbers[n + 1] ?? 0,
      id: this.string(i, 0) ?? "",
      method: reference(0) ?? "",
      path: maskPath(this.string(i, 1) ?? ""),
      status: this.numbers[n + 2] ?? 0,
      route: reference(1),
      service: reference(2),
      replica: reference(3),
      error: reference(4),
      traceId: this.string(i, 2),
      spanId: this.string(i, 3),
      parentSpanId: this.string(i, 4),
    };
  }

  /** True when the row's trace id is `traceId` (without making a string of it). */
  private inTrace(i: number, traceId: string): boolean {
    const at = this.offsets[i] ?? BY_REFERENCE;
    if (at === BY_REFERENCE) return (this.references[i * REFERENCES + KEPT] as readonly (string | null)[])[2] === traceId;
    const t = i * TEXTS;
    const length = this.lengths[t + 2] ?? NULL;
    return length !== NULL && this.text.equals(at + this.before(t, 2), length, traceId);
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
      if (this.inTrace(i, traceId)) out.push(this.read(i));
    }
    return out;
  }
}
