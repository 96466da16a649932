/**
 * Rate limit per client address, as a sliding window log: a request is admitted when fewer than
 * `requests + burst` requests of that client were admitted in the last `perMs`. Exact (no burst of
 * twice the limit across a window boundary, as a fixed window allows), and cheap: each client keeps a
 * ring of admission times that only grows as far as the client's real traffic within one window.
 * Pure apart from the clock, which is passed in.
 */
import type { RateLimit } from "../../model/types.js";

class Window {
  times: Float64Array;
  head = 0;
  size = 0;
  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
  }
  /** Drops admissions older than `since`. */
  expire(since: number): void {
    const times = this.times;
    while (this.size > 0 && (times[this.head] as number) <= since) {
      this.head = this.head + 1 === times.length ? 0 : this.head + 1;
      this.size--;
    }
  }
  oldest(): number {
    return this.times[this.head] as number;
  }
  newest(): number {
    const i = (this.head + this.size - 1) % this.times.length;
    return this.times[i] as number;
  }
  push(time: number, limit: number): void {
    if (this.size === this.times.length) this.grow(limit);
    const times = this.times;
    let tail = this.head + this.size;
    if (tail >= times.length) tail -= times.length;
    times[tail] = time;
    this.size++;
  }
  private grow(limit: number): void {
    const next = new Float64Array(Math.min(limit, this.times.length * 2));
    for (let i = 0; i < this.size; i++) next[i] = this.times[(this.head + i) % this.times.length] as number;
    this.times = next;
    this.head = 0;
  }
}

/** Result of `take`: 0 when admitted, else the seconds to wait (for `Retry-After`). */
export type Verdict = number;

export class RateLimiter {
  private readonly clients = new Map<string, Window>();
  private readonly limit: number;
  private lastSweep: number;

  constructor(
    readonly rule: RateLimit,
    private readonly now: () => number,
  ) {
    this.limit = Math.max(1, rule.requests + rule.burst);
    this.lastSweep = now();
  }

  /** Admits one request of `client`, or says how many whole seconds until it would be admitted. */
  take(client: string): Verdict {
    const now = this.now();
    const per = this.rule.perMs;
    if (now - this.lastSweep > per) this.sweep(now);
    let window = this.clients.get(client);
    if (window === undefined) {
      window = new Window(Math.min(this.limit, 16));
      this.clients.set(client, window);
    }
    window.expire(now - per);
    if (window.size < this.limit) {
      window.push(now, this.limit);
      return 0;
    }
    return Math.max(1, Math.ceil((window.oldest() + per - now) / 1000));
  }

  /** Forgets clients with nothing in their window, so memory follows the active clients only. */
  private sweep(now: number): void {
    this.lastSweep = now;
    const since = now - this.rule.perMs;
    for (const [client, window] of this.clients) if (window.size === 0 || window.newest() <= since) this.clients.delete(client);
  }

  /** Number of clients tracked (for tests and status). */
  get clientCount(): number {
    return this.clients.size;
  }
}

/** True when two rules count the same way, so a reload keeps the clients' windows. */
export function sameRule(a: RateLimit | null, b: RateLimit | null): boolean {
  return a === b || (a !== null && b !== null && a.requests === b.requests && a.perMs === b.perMs && a.burst === b.burst);
}
