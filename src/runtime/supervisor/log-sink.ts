/**
 * Writes a child's output to its log file, one line per entry as `<ISO time> <out|err> <text>`,
 * and hands each line to the live view. The time prefix is what `cairn logs --since` filters on.
 */
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import type { Redact } from "../env/redact.js";

export interface LogLine {
  /** `web.1`, or `job:processor` for a job run. */
  readonly source: string;
  readonly stream: "out" | "err" | "cairn";
  readonly text: string;
  readonly time: Date;
}

export type LogListener = (line: LogLine) => void;

/** One log file, appended to by the replica's successive processes. Idempotent `close()`. */
export class LogSink {
  private readonly file: WriteStream;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly source: string,
    private readonly listener: LogListener,
    private readonly now: () => Date = () => new Date(),
    /** Takes the stack's secret values out of each line before it is written or shown. */
    private readonly redact: Redact = (text) => text,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.file = createWriteStream(path, { flags: "a" });
    this.file.on("error", () => {});
  }

  /** Records a line; `cairn` lines are Cairn's own notes about the process (started, exited). */
  line(stream: LogLine["stream"], text: string): void {
    if (this.closed) return;
    const time = this.now();
    text = this.redact(text);
    this.file.write(`${time.toISOString()} ${stream} ${text}\n`);
    this.listener({ source: this.source, stream, text, time });
  }

  /** Follows a child stream line by line; a last partial line is written when it ends. */
  follow(readable: Readable, stream: "out" | "err"): void {
    let rest = "";
    readable.setEncoding("utf8");
    readable.on("data", (chunk: string) => {
      const parts = (rest + chunk).split(/\r?\n/);
      rest = parts.pop() ?? "";
      for (const part of parts) this.line(stream, part);
    });
    readable.on("end", () => {
      if (rest) this.line(stream, rest);
      rest = "";
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.file.end(resolve));
  }
}

/** Parses one stored log line; null for a line not written by a `LogSink`. */
export function parseLogLine(line: string): { time: Date; stream: string; text: string } | null {
  const match = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (out|err|cairn) ?(.*)$/.exec(line);
  if (!match?.[1]) return null;
  return { time: new Date(match[1]), stream: match[2] ?? "out", text: match[3] ?? "" };
}
