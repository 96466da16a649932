/**
 * Spans received over OTLP, the newest M kept in a ring (default 10,000), with a count per trace id
 * so a trace's spans are found without scanning for a trace that has none. Pure.
 *
 * Memory bound: M spans; each holds its ids, name, service and at most 32 attributes of at most 256
 * characters (the parsers cut them), so about 1 kB typical and 20 kB at worst a span: 10 MB typical,
 * 200 MB at the very worst for the default M.
 */
import type { SpanRecord } from "./span.js";

export const DEFAULT_SPAN_CAPACITY = 10_000;

export class SpanStore {
  private readonly ring: (SpanRecord | null)[];
  private next = 0;
  private filled = 0;
  private readonly perTrace = new Map<string, number>();
  private received = 0;

  constructor(readonly capacity = DEFAULT_SPAN_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`a span store holds at least 1 span, not ${capacity}`);
    this.ring = new Array<SpanRecord | null>(capacity).fill(null);
  }

  get length(): number {
    return this.filled;
  }

  /** Spans received since the start, including those the ring has let go. */
  get total(): number {
    return this.received;
  }

  /** Traces with at least one span held. */
  get traces(): number {
    return this.perTrace.size;
  }

  add(span: SpanRecord): void {
    const old = this.ring[this.next];
    if (old) {
      const left = (this.perTrace.get(old.traceId) ?? 1) - 1;
      if (left === 0) this.perTrace.delete(old.traceId);
      else this.perTrace.set(old.traceId, left);
    }
    this.ring[this.next] = span;
    this.perTrace.set(span.traceId, (this.perTrace.get(span.traceId) ?? 0) + 1);
    this.next = (this.next + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
    this.received++;
  }

  /** The held spans of a trace, by start time. */
  ofTrace(traceId: string): SpanRecord[] {
    if (!this.perTrace.has(traceId)) return [];
    const out: SpanRecord[] = [];
    for (const span of this.ring) if (span !== null && span.traceId === traceId) out.push(span);
    return out.sort((a, b) => a.start - b.start);
  }

  /** The newest `limit` spans, newest first. */
  latest(limit = this.capacity): SpanRecord[] {
    const out: SpanRecord[] = [];
    const n = Math.min(Math.max(0, Math.floor(limit)), this.filled);
    for (let k = 1; k <= n; k++) {
      const span = this.ring[(this.next - k + this.capacity) % this.capacity];
      if (span) out.push(span);
    }
    return out;
  }
}
