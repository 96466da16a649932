/**
 * Server-sent events to every open console page. A client that cannot keep up (more than 1 MB
 * waiting) is dropped; its page reconnects by itself and reloads what it shows.
 */
import type { ServerResponse } from "node:http";

const MAX_PENDING = 1 << 20;

export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs = 15_000) {
    this.heartbeat = setInterval(() => this.comment("ping"), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Keeps a response open as an event stream. */
  open(res: ServerResponse): void {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
    res.write("retry: 1000\n\n");
    this.clients.add(res);
    const forget = () => this.clients.delete(res);
    res.on("close", forget);
    res.on("error", forget);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Sends one event to every client. */
  send(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  private write(frame: string): void {
    for (const res of this.clients) {
      if (res.writableLength > MAX_PENDING) {
        this.clients.delete(res);
        res.destroy();
        continue;
      }
      res.write(frame);
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
