/**
 * A bounded load for deploy tests and benches: `connections` workers, each sending one GET at a
 * time on a new connection, one attempt per request; a socket error or a non-2xx answer counts as
 * failed. It stops when told, or after `maxRequests` or `maxMs`, whichever comes first. Each worker
 * pauses `pauseMs` between requests: a new connection per request leaves one TIME_WAIT socket each,
 * and an unpaced load runs the machine out of ephemeral ports in under a minute.
 */
import { request } from "node:http";

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  /** The first failures: status or error. */
  readonly failures: readonly string[];
  /** Bodies seen, counted (to tell releases apart). */
  readonly bodies: ReadonlyMap<string, number>;
  readonly ms: number;
}

export interface Load {
  stop(): Promise<LoadResult>;
  readonly counts: { ok: number; failed: number };
}

function once(url: URL, timeoutMs: number, pick: (body: string) => string): Promise<{ ok: boolean; what: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: "GET", agent: false, headers: { connection: "close" }, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 300 ? { ok: true, what: pick(body) } : { ok: false, what: `HTTP ${status}` });
      });
      res.on("error", (error) => resolve({ ok: false, what: error.message }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on("error", (error) => resolve({ ok: false, what: error.message }));
    req.end();
  });
}

export function startLoad(
  url: string,
  options: { connections?: number; maxRequests?: number; maxMs?: number; timeoutMs?: number; pauseMs?: number; pick?: (body: string) => string } = {},
): Load {
  const target = new URL(url);
  const connections = options.connections ?? 20;
  const maxRequests = options.maxRequests ?? 200_000;
  const deadline = Date.now() + (options.maxMs ?? 180_000);
  const pick = options.pick ?? ((body: string) => body.slice(0, 40));
  const counts = { ok: 0, failed: 0 };
  const failures: string[] = [];
  const bodies = new Map<string, number>();
  const started = Date.now();
  let stopped = false;
  const worker = async () => {
    while (!stopped && counts.ok + counts.failed < maxRequests && Date.now() < deadline) {
      const r = await once(target, options.timeoutMs ?? 10_000, pick);
      if (r.ok) {
        counts.ok++;
        bodies.set(r.what, (bodies.get(r.what) ?? 0) + 1);
      } else {
        counts.failed++;
        if (failures.length < 20) failures.push(r.what);
      }
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 100));
    }
  };
  const workers = Array.from({ length: connections }, worker);
  return {
    counts,
    async stop() {
      stopped = true;
      await Promise.all(workers);
      return { ok: counts.ok, failed: counts.failed, failures, bodies, ms: Date.now() - started };
    },
  };
}
