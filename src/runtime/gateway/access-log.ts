/**
 * The access log: one JSON line per request, appended to a file. Lines are built by string
 * concatenation (only strings that need it go through JSON escaping), in ASCII, copied into a 64 kB
 * buffer, and written by one asynchronous write at a time (every 64 kB or 200 ms), so logging never
 * blocks the request path and leaves no long-lived strings for the garbage collector.
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
/** A JSON string in ASCII only (other characters as \u escapes), so a line is written byte for char. */
const str = (s: string | null) =>
  s === null ? "null" : plain(s) ? `"${s}"` : JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

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

/** Milliseconds to three decimals, from integers (formatting a fraction is the slow case of number to text). */
function millis(ms: number): string {
  const us = Math.round(ms * 1000);
  const whole = Math.floor(us / 1000);
  const frac = us - whole * 1000;
  return frac === 0 ? `${whole}` : `${whole}.${frac < 10 ? "00" : frac < 100 ? "0" : ""}${frac}`;
}

/** Query parameters whose values are credentials: tokens, keys, signatures (presigned URLs), passwords. */
const SENSITIVE = /^(?:[^=]*(?:token|key|secret|password|passwd|pwd|auth|signature|credential|session|sig)[^=]*)$/i;
/** A parameter name of that kind anywhere after a `?` or `&`: when this fails, nothing is masked. */
const SENSITIVE_ANYWHERE = /[?&][^=&]*(?:token|key|secret|password|passwd|pwd|auth|signature|credential|session|sig)[^=&]*=/i;

/**
 * The path as logged: the values of credential-like query parameters replaced by `***`. Headers are never
 * logged (Authorization and Cookie included), so a query string is the one place a credential could come in.
 */
export function maskPath(path: string): string {
  const q = path.indexOf("?");
  // One test of the whole target first: most queries name no credential, and this runs on every line.
  if (q < 0 || !SENSITIVE_ANYWHERE.test(path)) return path;
  const params = path.slice(q + 1).split("&");
  let changed = false;
  for (let i = 0; i < params.length; i++) {
    const p = params[i] ?? "";
    const eq = p.indexOf("=");
    if (eq > 0 && eq < p.length - 1 && SENSITIVE.test(p.slice(0, eq))) {
      params[i] = `${p.slice(0, eq)}=***`;
      changed = true;
    }
  }
  return changed ? `${path.slice(0, q)}?${params.join("&")}` : path;
}

/** The JSON line for one request (with its newline). */
export function formatEntry(e: AccessEntry): string {
  return `{"time":"${iso(e.time)}","id":${str(e.id)},"client":${str(e.client)},"method":${str(e.method)},"path":${str(maskPath(e.path))},"status":${e.status},"duration":${millis(e.duration)},"service":${str(e.service)},"target":${str(e.target)}${e.error === null ? "" : `,"error":${str(e.error)}`}}\n`;
}

/** Longest time a line waits in memory before it is written. */
const FLUSH_MS = 200;
const BUFFER_BYTES = 64 * 1024;

export class AccessLog {
  private fd: number | null = null;
  /** Lines are encoded at once into this buffer, so no long string lives until the flush. */
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  /** Filled buffers waiting for the disk, in order. */
  private queue: Buffer[] = [];
  private writing = false;
  private closed = false;
  private idle: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly file: string) {}

  /** Opens the file for appending (creating it). */
  open(): void {
    this.fd = fs.openSync(this.file, "a");
  }

  write(entry: AccessEntry): void {
    if (this.closed) return;
    const line = formatEntry(entry);
    // Like nginx's `buffer=64k flush=...`: one write per 64 kB or per FLUSH_MS, not one per request.
    // Lines are ASCII (see `str`): latin1 copies them without encoding work.
    if (this.used + line.length > BUFFER_BYTES) this.rotate();
    if (line.length > BUFFER_BYTES) this.queue.push(Buffer.from(line, "latin1"));
    else this.used += this.buffer.write(line, this.used, "latin1");
    if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.rotate();
      }, FLUSH_MS);
      this.timer.unref();
    }
    if (this.queue.length > 0) this.pump();
  }

  /** Queues the current buffer for writing and starts a new one. */
  private rotate(): void {
    if (this.used > 0) {
      this.queue.push(this.buffer.subarray(0, this.used));
      this.buffer = Buffer.allocUnsafe(BUFFER_BYTES);
      this.used = 0;
    }
    this.pump();
  }

  /** One asynchronous write at a time, in order. */
  private pump(): void {
    if (this.writing) return;
    const next = this.queue.shift();
    if (next === undefined || this.fd === null) {
      for (const done of this.idle.splice(0)) done();
      return;
    }
    this.writing = true;
    fs.write(this.fd, next, 0, next.length, null, () => {
      this.writing = false;
      this.pump();
    });
  }

  /** Writes what is pending and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await new Promise<void>((resolve) => {
      this.idle.push(resolve);
      this.rotate();
    });
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
