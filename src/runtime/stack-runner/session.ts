/**
 * One `cairn up`: the runner, its description in `runner.json`, the control socket, and the watch
 * of the stack file (an edit is applied like `cairn reload`; an invalid edit is refused with its
 * diagnostics and the running config stays). Used in the foreground and by the detached daemon.
 */
import { createHash } from "node:crypto";
import { type FSWatcher, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import pc from "picocolors";
import { pickConsolePort } from "../../console/address.js";
import { Console } from "../../console/console.js";
import { renderDiagnostic } from "../../diagnostics/render.js";
import { hasErrors, loadStack } from "../../load/load.js";
import type { Stack } from "../../model/types.js";
import type { Clock } from "../scheduler/clock.js";
import type { LogListener } from "../supervisor/log-sink.js";
import { Telemetry } from "../telemetry/telemetry.js";
import { type ControlRequest, type ControlServer, startControl } from "./control.js";
import { type ReloadResult, reloadStack } from "./reload.js";
import { StackRunner } from "./runner.js";
import { type PsReport, snapshot } from "./snapshot.js";
import type { RunnerInfo } from "./state-dir.js";

export interface SessionOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onLog: LogListener;
  /** Watch the stack file and apply edits (default true). */
  readonly watch?: boolean;
  readonly clock?: Clock;
  readonly waitGateway?: boolean;
  /** Serve the web console on loopback (default false; `cairn up` turns it on). */
  readonly console?: boolean;
  /** How often replicas are measured, scaling decided and alarms evaluated. */
  readonly monitorIntervalMs?: number;
}

export type ReloadAnswer = { ok: true; result: ReloadResult } | { ok: false; diagnostics: string };

/** The answer to `{"op":"console"}`: a fresh login link, or null when the run serves no console. */
export interface ConsoleLinkAnswer {
  readonly url: string | null;
}

export class Session {
  private control: ControlServer | null = null;
  private watcher: FSWatcher | null = null;
  private closing: Promise<void> | null = null;
  private lastText: string;
  private reloading: Promise<unknown> = Promise.resolve();
  private resolveDone: () => void = () => {};
  /** Resolves once the session has closed (by `cairn down`, a signal, or `close()`). */
  readonly done = new Promise<void>((resolve) => {
    this.resolveDone = resolve;
  });
  readonly runner: StackRunner;
  /** The web console, once started. */
  console: Console | null = null;
  /** What the gateway counts and traces and processes send over OTLP, for the console (with the console only). */
  readonly telemetry: Telemetry | null;
  private readonly consoleLines: Parameters<SessionOptions["onLog"]>[0][] = [];

  constructor(
    stack: Stack,
    private readonly options: SessionOptions,
  ) {
    // The console keeps the lines from the very start: those before it exists wait here (bounded).
    const onLog: SessionOptions["onLog"] = (line) => {
      options.onLog(line);
      if (this.console) this.console.logs.add(line);
      else if (options.console && this.consoleLines.length < 10_000) this.consoleLines.push(line);
    };
    this.telemetry = options.console ? new Telemetry() : null;
    this.runner = new StackRunner(stack, {
      env: options.env,
      onLog,
      clock: options.clock,
      waitGateway: options.waitGateway,
      telemetry: this.telemetry ?? undefined,
      monitorIntervalMs: options.monitorIntervalMs,
    });
    this.lastText = hash(stack.file);
  }

  /** Starts the stack, then answers on the control socket and watches the file. */
  async start(): Promise<void> {
    const { runner } = this;
    const info: RunnerInfo = {
      pid: process.pid,
      socket: runner.paths.socket,
      file: runner.stack.file,
      environment: runner.stack.environment.name,
      startedAt: new Date().toISOString(),
      edgeUrl: runner.stack.routes.length ? `http://localhost:${runner.stack.edge.port}` : null,
    };
    this.control = await startControl(runner.paths.socket, (request) => this.answer(request));
    writeFileSync(runner.paths.runner, `${JSON.stringify(info, null, 2)}\n`);
    try {
      if (this.options.console) await this.startConsole();
      await runner.start();
    } catch (error) {
      await this.close();
      throw error;
    }
    if (this.options.watch !== false) this.watchFile();
  }

  /** Starts the console before the stack, so its address is known to the processes it starts. */
  private async startConsole(): Promise<void> {
    const port = await pickConsolePort();
    const server = new Console(this, { port, onError: (text) => this.runner.note(text) });
    await server.start();
    for (const line of this.consoleLines.splice(0)) server.logs.add(line);
    this.console = server;
    this.runner.consolePort = port;
  }

  /** The console's login link (a fresh one-time token once the last was used), or null without a console. */
  consoleLink(): string | null {
    return this.console?.loginUrl() ?? null;
  }

  /** A new login link for `cairn console` (the unused one before stops working), or null without a console. */
  newConsoleLink(): ConsoleLinkAnswer {
    return { url: this.console?.newLoginUrl() ?? null };
  }

  private async answer(request: ControlRequest): Promise<unknown> {
    switch (request.op) {
      case "ps":
        return snapshot(this.runner);
      case "down":
        // Answer first: the process may exit as soon as it has closed. The client waits for the pid.
        setImmediate(() => void this.close());
        return { ok: true };
      case "reload":
        return this.reload();
      case "run": {
        const record = await this.runner.runJob(request.job, request.args);
        return record ? { ok: true, record } : { ok: false, message: `${request.job} is already running and its concurrency is forbid` };
      }
      case "console":
        return this.newConsoleLink();
    }
  }

  /** Reads the file again and applies it; an invalid file changes nothing. */
  reload(): Promise<ReloadAnswer> {
    const next = this.reloading.then(async (): Promise<ReloadAnswer> => {
      const { stack } = this.runner;
      const analysis = await loadStack(stack.file, this.options.cwd, { env: stack.environment.name, lint: false });
      const fresh = analysis.stacks.get(stack.environment.name);
      if (hasErrors(analysis) || !fresh) {
        const colors = pc.createColors(false);
        const diagnostics = analysis.diagnostics
          .filter((d) => d.severity === "error")
          .map((d) => renderDiagnostic(d, analysis.source?.text ?? null, this.options.cwd, colors))
          .join("\n\n");
        this.runner.note(`the edited stack file has errors; the running stack is unchanged:\n${diagnostics}`);
        return { ok: false, diagnostics };
      }
      const result = await this.runner.exclusive(() => reloadStack(this.runner, fresh));
      const parts = [
        result.started.length ? `started ${result.started.join(", ")}` : "",
        result.replaced.length ? `replaced ${result.replaced.join(", ")}` : "",
        result.stopped.length ? `stopped ${result.stopped.join(", ")}` : "",
        ...result.failed.map((f) => `${f.name} kept its running version: ${f.message}`),
        ...result.notes,
      ].filter(Boolean);
      this.runner.note(`reloaded: ${parts.join("; ") || "nothing changed"}`);
      return { ok: true, result };
    });
    this.reloading = next.catch(() => {});
    return next;
  }

  private watchFile(): void {
    const file = this.runner.stack.file;
    let timer: NodeJS.Timeout | null = null;
    this.watcher = watch(dirname(file), (_event, name) => {
      if (name !== basename(file)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        const text = hash(file);
        if (text === this.lastText) return;
        this.lastText = text;
        void this.reload();
      }, 200);
    });
    this.watcher.unref();
  }

  ps(): Promise<PsReport> {
    return snapshot(this.runner);
  }

  /** Stops everything and removes `runner.json` and the socket. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.watcher?.close();
      await this.console?.close();
      await this.runner.close();
      await this.control?.close();
      rmSync(this.runner.paths.runner, { force: true });
      this.resolveDone();
    })();
    return this.closing;
  }
}

function hash(file: string): string {
  try {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    return "";
  }
}
