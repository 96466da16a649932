/**
 * The console's log view: every replica's, job run's and Cairn's own lines, merged in arrival order,
 * already redacted by the sinks that wrote them, kept in a bounded ring (10,000 lines of at most 2,000
 * characters each), and filtered by service, level and text. A line that names a trace id
 * (`trace_id=…`, `"trace_id":"…"`, `traceId`) is indexed by it, so a trace shows its lines; the index
 * holds only lines the ring holds.
 */
import type { LogLine } from "../runtime/supervisor/log-sink.js";
import { detach } from "../text/detach.js";
import { Ring } from "./ring.js";

export const LOG_CAPACITY = 10_000;
export const LINE_CHARS = 2_000;

export type Level = "error" | "warn" | "info" | "debug";
export const LEVELS: readonly Level[] = ["error", "warn", "info", "debug"];

export interface ConsoleLine {
  readonly seq: number;
  readonly time: string;
  /** `api.1`, `job:processor`, `cairn`, or a resource's name. */
  readonly source: string;
  /** The service, job or resource the source belongs to. */
  readonly service: string;
  readonly stream: LogLine["stream"];
  readonly level: Level;
  readonly text: string;
  /** The trace id the line names (32 lowercase hex digits), or null. */
  readonly traceId: string | null;
}

const WORDS: readonly [RegExp, Level][] = [
  [/\b(error|err|fatal|critical|crit|panic|exception|traceback)\b/i, "error"],
  [/\b(warn|warning)\b/i, "warn"],
  [/\b(debug|trace)\b/i, "debug"],
];

/** A line's level: a JSON `level` field, else a level word near its start, else by stream. */
export function levelOf(stream: LogLine["stream"], text: string): Level {
  const json = /"(?:level|severity)"\s*:\s*"(\w+)"/i.exec(text);
  const head = json?.[1] ?? text.slice(0, 48);
  for (const [pattern, level] of WORDS) if (pattern.test(head)) return level;
  if (json?.[1] && /^info/i.test(json[1])) return "info";
  return stream === "err" ? "error" : "info";
}

const TRACE_ID = /\btrace[_-]?id["']?\s*[:=]\s*["']?([0-9a-fA-F]{32})(?![0-9a-fA-F])/i;

/** The trace id a line names, as `trace_id=<32 hex>` (logfmt), `"trace_id":"<32 hex>"` or `traceId` (JSON), or null. */
export function traceIdOf(text: string): string | null {
  const id = TRACE_ID.exec(text)?.[1]?.toLowerCase() ?? null;
  return id === null || /^0+$/.test(id) ? null : id;
}

/** The part a source belongs to: `api.2` → `api`; `job:processor` and `cairn` stay. */
export function serviceOf(source: string): string {
  if (source.startsWith("job:")) return source;
  const dot = source.lastIndexOf(".");
  return dot > 0 && /^\d+$/.test(source.slice(dot + 1)) ? source.slice(0, dot) : source;
}

export interface LogFilter {
  readonly service?: string;
  /** The most verbose level shown: `warn` shows errors and warnings. */
  readonly level?: Level;
  readonly text?: string;
  /** Only lines after this sequence number. */
  readonly after?: number;
  readonly limit?: number;
}

/** True when a line passes the filter. */
export function matches(line: ConsoleLine, filter: LogFilter): boolean {
  if (filter.service && line.service !== filter.service && line.source !== filter.service) return false;
  if (filter.level && LEVELS.indexOf(line.level) > LEVELS.indexOf(filter.level)) return false;
  if (filter.text && !line.text.toLowerCase().includes(filter.text.toLowerCase())) return false;
  return filter.after === undefined || line.seq > filter.after;
}

/** The bounded store of lines, telling listeners of each new one. */
export class LogStore {
  private readonly ring: Ring<ConsoleLine>;
  private readonly listeners = new Set<(line: ConsoleLine) => void>();
  /** Lines by the trace id they name, oldest first: only lines still in the ring. */
  private readonly byTrace = new Map<string, ConsoleLine[]>();

  constructor(capacity = LOG_CAPACITY) {
    this.ring = new Ring(capacity);
  }

  add(line: LogLine): void {
    // A copy: the line may be a cut of its whole pipe chunk, which it would otherwise keep alive.
    const text = detach(line.text.length > LINE_CHARS ? `${line.text.slice(0, LINE_CHARS)}…` : line.text);
    const entry: ConsoleLine = {
      seq: this.ring.total + 1,
      time: line.time.toISOString(),
      source: line.source,
      service: serviceOf(line.source),
      stream: line.stream,
      level: levelOf(line.stream, text),
      text,
      traceId: traceIdOf(text),
    };
    const out = this.ring.push(entry);
    if (out?.traceId) {
      // The oldest line of its trace is the first of its list.
      const lines = this.byTrace.get(out.traceId);
      lines?.shift();
      if (lines?.length === 0) this.byTrace.delete(out.traceId);
    }
    if (entry.traceId !== null) {
      const lines = this.byTrace.get(entry.traceId);
      if (lines) lines.push(entry);
      else this.byTrace.set(entry.traceId, [entry]);
    }
    for (const listener of this.listeners) listener(entry);
  }

  get size(): number {
    return this.ring.size;
  }

  /** The newest lines passing the filter, oldest first (at most `limit`, default 500). */
  query(filter: LogFilter = {}): ConsoleLine[] {
    const limit = Math.min(Math.max(filter.limit ?? 500, 1), LOG_CAPACITY);
    const all = this.ring.toArray();
    const out: ConsoleLine[] = [];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const line = all[i];
      if (line && matches(line, filter)) out.push(line);
    }
    return out.reverse();
  }

  /** The held lines naming `traceId`, oldest first (at most `limit`, the newest kept). */
  ofTrace(traceId: string, limit = 200): ConsoleLine[] {
    return (this.byTrace.get(traceId) ?? []).slice(-Math.max(1, limit));
  }

  /** Trace ids indexed (each with at least one held line). */
  get traces(): number {
    return this.byTrace.size;
  }

  /** Every distinct service seen, for the filter's choices. */
  services(): string[] {
    return [...new Set(this.ring.toArray().map((l) => l.service))].sort();
  }

  subscribe(listener: (line: ConsoleLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
