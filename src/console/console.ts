/**
 * The web console of a running stack (`cairn up`): a loopback-only HTTP server under the one guard,
 * behind the one-time-token login (auth.ts), serving the pages, their JSON API, live events, and the
 * read-only data browser. It keeps its own memory bounded: 10,000 log lines (logs.ts), and fixed-size
 * histories (history.ts). `start()` and `close()`; closing is idempotent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { describeReport, guard, guardClientErrors } from "../runtime/http/guard.js";
import type { StackRunner } from "../runtime/stack-runner/runner.js";
import type { ReloadAnswer } from "../runtime/stack-runner/session.js";
import { snapshot } from "../runtime/stack-runner/snapshot.js";
import { type RequestSnapshot, readRequests } from "../runtime/telemetry/snapshot.js";
import type { Telemetry } from "../runtime/telemetry/telemetry.js";
import { CONSOLE_HOST, consoleAddress } from "./address.js";
import { type Admission, ConsoleAuth, sessionCookie } from "./auth.js";
import { EventHub } from "./events.js";
import { History } from "./history.js";
import { ConsoleError, commonHeaders, sendJson, sendText } from "./http.js";
import { LogStore } from "./logs.js";
import { keepLogRecords } from "./otlp-logs.js";
import { type RouteContext, routeRequest } from "./routes.js";
import { routeMachine } from "./telemetry.js";

/** What the console watches and acts on: the session's runner, and its reload. */
export interface ConsoleSource {
  readonly runner: StackRunner;
  /** The gateway's requests and the spans processes send (null: the pages say there is none). */
  readonly telemetry: Telemetry | null;
  reload(): Promise<ReloadAnswer>;
}

/** Request counts read at each sample: the Requests page's window is the last minute of them. */
export const TRAFFIC_SAMPLES = 30;

export interface ConsoleOptions {
  readonly port: number;
  /** How often replicas are sampled (CPU, memory, state) and the pages told (default 2 s). */
  readonly sampleMs?: number;
  /** Told of each request the guard answered with an error. */
  readonly onError?: (text: string) => void;
}

export class Console {
  readonly logs = new LogStore();
  readonly history = new History();
  readonly hub = new EventHub();
  readonly auth: ConsoleAuth;
  private server: Server | null = null;
  private sampler: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly sockets = new Set<Socket>();
  private closing: Promise<void> | null = null;
  private changed: NodeJS.Timeout | null = null;
  /** The request counts of the last samples, oldest first (at most TRAFFIC_SAMPLES). */
  readonly traffic: RequestSnapshot[] = [];

  constructor(
    private readonly source: ConsoleSource,
    private readonly options: ConsoleOptions,
  ) {
    this.auth = new ConsoleAuth(options.port);
    this.logs.subscribe((line) => this.hub.send("log", line));
  }

  get port(): number {
    return this.options.port;
  }

  /** The login link: the console's address with a one-time token (the same until it is used). */
  loginUrl(): string {
    return `${consoleAddress(this.options.port)}/?token=${this.auth.issueToken()}`;
  }

  /** A login link with a new one-time token; the link given before, if unused, stops working. */
  newLoginUrl(): string {
    return `${consoleAddress(this.options.port)}/?token=${this.auth.renewToken()}`;
  }

  /** Listens on loopback and starts sampling. */
  async start(): Promise<void> {
    const handler = guard((req, res) => this.handle(req, res), {
      name: "console",
      onError: (report) => this.options.onError?.(describeReport(report)),
      answer: (res, status, requestId) => sendJson(res, status, { error: status === 400 ? "bad request" : "internal error", requestId }),
    });
    const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, maxHeaderSize: 16 * 1024 }, handler);
    guardClientErrors(server);
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port: this.options.port, host: CONSOLE_HOST, exclusive: true }, () => resolve());
    });
    this.server = server;
    this.sampler = setInterval(() => void this.sample(), this.options.sampleMs ?? 2000);
    this.sampler.unref();
  }

  /** Records a sample of every replica and job, and tells the pages. */
  async sample(): Promise<void> {
    const { runner } = this.source;
    const supervisor = runner.parts.supervisor;
    if (supervisor && !this.unsubscribe) this.unsubscribe = supervisor.subscribe(() => this.soon());
    const { telemetry } = this.source;
    if (telemetry) {
      this.traffic.push(readRequests(telemetry));
      if (this.traffic.length > TRAFFIC_SAMPLES) this.traffic.shift();
    }
    const report = await snapshot(runner);
    this.history.record(report, new Date().toISOString());
    this.hub.send("services", report);
  }

  /** A replica changed: sample once shortly after, however many changes come at once. */
  private soon(): void {
    if (this.changed || this.closing) return;
    this.changed = setTimeout(() => {
      this.changed = null;
      void this.sample().catch(() => {});
    }, 100);
    this.changed.unref();
  }

  private handle(req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
    const admission: Admission = this.auth.admit({
      method: req.method ?? "GET",
      url: req.url ?? "/",
      host: req.headers.host,
      cookie: req.headers.cookie,
      csrf: header(req, "x-csrf-token"),
      origin: header(req, "origin"),
    });
    if (admission.kind === "refuse") {
      req.resume();
      if ((req.headers.accept ?? "").includes("text/html"))
        sendText(res, admission.status, `<!doctype html><title>Cairn console</title><p>${admission.reason}</p>\n`, "text/html; charset=utf-8");
      else sendJson(res, admission.status, { error: admission.reason });
      return undefined;
    }
    if (admission.kind === "login") {
      req.resume();
      res.writeHead(303, commonHeaders({ location: admission.location, "set-cookie": sessionCookie(admission.session.id), "content-length": 0 }));
      res.end();
      return undefined;
    }
    if (admission.kind === "machine")
      return routeMachine(this.source, req, res, (records) => keepLogRecords(this.logs, records, this.source.runner.redactor.redact));
    const context: RouteContext = { source: this.source, console: this, session: admission.session };
    return routeRequest(context, req, res).catch((error: unknown) => {
      if (!(error instanceof ConsoleError)) throw error;
      if (res.headersSent) res.destroy();
      else sendJson(res, error.status, { error: error.message });
    });
  }

  /** Stops sampling, ends the event streams and closes the server. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.sampler) clearInterval(this.sampler);
      if (this.changed) clearTimeout(this.changed);
      this.unsubscribe?.();
      this.hub.close();
      const server = this.server;
      if (!server) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of this.sockets) socket.destroy();
      await closed;
    })();
    return this.closing;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
