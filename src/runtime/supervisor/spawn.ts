/**
 * Starts one process the way the supervisor and the scheduler need it: in its own process group
 * (so a stop reaches its children too), registered with the watchdog, output into a `LogSink`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import type { Command } from "../../model/types.js";
import type { LogSink } from "./log-sink.js";
import type { Watchdog } from "./watchdog.js";

export interface Spawned {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves once with the exit; `error` when the program could not be started at all. */
  readonly exited: Promise<{ code: number | null; signal: string | null; error: string | null }>;
}

/** True when the shell line has nothing but a plain command, so `exec` can replace the shell. */
function simpleCommand(shell: string): boolean {
  return !/[;&|<>()`\n]|\$\(/.test(shell);
}

/** The program and arguments for a command; shell lines go through `/bin/sh -c`. */
export function commandLine(command: Command, extraArgs: readonly string[] = []): { file: string; args: string[] } {
  if (command.argv && command.argv.length > 0) {
    const [file = "", ...args] = command.argv;
    return { file, args: [...args, ...extraArgs] };
  }
  const shell = command.shell ?? "";
  const quoted = extraArgs.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const line = quoted ? `${shell} ${quoted}` : shell;
  return { file: "/bin/sh", args: ["-c", simpleCommand(shell) ? `exec ${line}` : line] };
}

/** Spawns a command in a new process group under `cwd` (relative to `root`). */
export function spawnProcess(options: {
  command: Command;
  args?: readonly string[];
  root: string;
  cwd: string;
  env: Record<string, string>;
  sink: LogSink;
  watchdog: Watchdog;
}): Spawned {
  const { file, args } = commandLine(options.command, options.args);
  const child = spawn(file, args, {
    cwd: resolve(options.root, options.cwd),
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid ?? 0;
  if (pid) options.watchdog.watch(-pid);
  if (child.stdout) options.sink.follow(child.stdout, "out");
  if (child.stderr) options.sink.follow(child.stderr, "err");
  const exited = new Promise<{ code: number | null; signal: string | null; error: string | null }>((done) => {
    child.once("error", (error: NodeJS.ErrnoException) => {
      if (!pid) done({ code: null, signal: null, error: error.code === "ENOENT" ? `command not found: ${file}` : error.message });
    });
    child.once("exit", (code, signal) => {
      if (pid) options.watchdog.unwatch(-pid);
      done({ code, signal, error: null });
    });
  });
  return { child, pid, exited };
}

/** Signals a whole process group; ignores a group that is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to the group, then SIGKILL after `timeoutMs` if it is still there; resolves on exit. */
export async function stopGroup(spawned: Spawned, timeoutMs: number): Promise<void> {
  if (spawned.child.exitCode !== null || spawned.child.signalCode !== null || !spawned.pid) {
    signalGroup(spawned.pid, "SIGKILL");
    return;
  }
  signalGroup(spawned.pid, "SIGTERM");
  const timer = setTimeout(() => signalGroup(spawned.pid, "SIGKILL"), timeoutMs);
  await spawned.exited;
  clearTimeout(timer);
  // Children that ignored SIGTERM while the leader exited get the last word.
  signalGroup(spawned.pid, "SIGKILL");
}
