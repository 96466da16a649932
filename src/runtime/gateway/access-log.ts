/**
 * The access log: one JSON line per request, appended to a file. Lines are built by string
 * concatenation (only strings that need it go through JSON escaping) and written in batches by one
 * asynchronous write at a time (every 64 kB or 200 ms), so logging never blocks the request path.
 */
import fs from "node:fs";

export interface AccessEntry {
  readonly time: number;
  readonly id: string;
  readonly client: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Milliseconds from the request's arrival to the end of the response. */
  readonly duration: number;
  readonly service: string | null;
  readonly target: string | null;
  /** Set when the gateway answered itself or cut the exchange. */
  readonly error: string | null;
}

/** True when a string can go between quotes as it is (printable ASCII, no quote or backslash). */
function plain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 92) return false;
  }
  return true;
}
const str = (s: string | null) => (s === null ? "null" : plain(s) ? `"${s}"` : JSON.stringify(s));

let lastTime = -1;
let lastIso = "";
/** ISO time, formatted once per millisecond at most. */
function iso(time: number): string {
  if (time !== lastTime) {
    lastTime = time;
    lastIso = new Date(time).toISOString();
  }
  return lastIso;
}

/** The JSON line for one request (with its newline). */
export function formatEntry(e: AccessEntry): string {
  return `{"time":"${iso(e.time)}","id":${str(e.id)},"client":${str(e.client)},"method":${str(e.method)},"path":${str(e.path)},"status":${e.status},"duration":${Math.round(e.duration * 1000) / 1000},"service":${str(e.service)},"target":${str(e.target)}${e.error === null ? "" : `,"error":${str(e.error)}`}}\n`;
}

/** Longest time a line waits in memory before it is written. */
const FLUSH_MS = 200;

export class AccessLog {
  private fd: number | null = null;
  private pending = "";
  private writing = false;
  private closed = false;
  private flushed: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly file: string) {}

  /** Opens the file for appending (creating it). */
  open(): void {
    this.fd = fs.openSync(this.file, "a");
  }

  write(entry: AccessEntry): void {
    if (this.closed) return;
    this.pending += formatEntry(entry);
    if (this.writing) return;
    // Like nginx's `buffer=64k flush=...`: one write per 64 kB or per FLUSH_MS, not one per request.
    if (this.pending.length >= 65_536) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.writing = true;
      this.drain();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.writing) return;
        this.writing = true;
        this.drain();
      }, FLUSH_MS);
      this.timer.unref();
    }
  }

  private drain(): void {
    const fd = this.fd;
    if (this.pending === "" || fd === null) {
      this.writing = false;
      return;
    }
    const chunk = this.pending;
    this.pending = "";
    fs.write(fd, chunk, () => {
      this.writing = false;
      for (const done of this.flushed.splice(0)) done();
      if (this.closed || this.pending === "" || this.timer !== null) return;
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.writing) return;
        this.writing = true;
        this.drain();
      }, FLUSH_MS);
      this.timer.unref();
    });
  }

  /** Writes what is pending and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing) await new Promise<void>((resolve) => this.flushed.push(resolve));
    if (this.pending !== "" && this.fd !== null) fs.writeSync(this.fd, this.pending);
    this.pending = "";
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
