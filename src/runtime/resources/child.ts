/**
 * Server processes (postgres, redis-server) started as children. Each is wrapped in
 * `setpriv --pdeathsig` when available, so the server stops cleanly even when its parent is
 * killed with SIGKILL; its output goes to a log file in the resource's folder, not to a pipe
 * that would break when the parent dies.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { alive } from "./endpoint.js";

export interface ServerChild {
  readonly pid: number;
  readonly process: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<string>;
  /** Sends `signal`, waits up to `timeoutMs`, then SIGKILL. Idempotent. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<void>;
}

export interface SpawnOptions {
  readonly logFile: string;
  /** Signal the server receives when its parent dies (its clean-shutdown signal). */
  readonly deathSignal: NodeJS.Signals;
  /** Run as this user (when Cairn runs as root and the server refuses root). */
  readonly user?: { readonly uid: number; readonly gid: number } | null;
  readonly env?: NodeJS.ProcessEnv;
}

let setprivPath: string | null | undefined;
function setpriv(): string | null {
  if (setprivPath === undefined) {
    setprivPath = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p)) ?? null;
  }
  return setprivPath;
}

/** Starts `command args` as a server child. */
export function spawnServer(command: string, args: readonly string[], options: SpawnOptions): ServerChild {
  const log = openSync(options.logFile, "a");
  const wrapper = setpriv();
  const user = options.user ?? null;
  let file = command;
  let argv = [...args];
  if (wrapper) {
    const ids = user ? ["--reuid", String(user.uid), "--regid", String(user.gid), "--clear-groups"] : [];
    argv = ["--pdeathsig", options.deathSignal.replace(/^SIG/, ""), ...ids, "--", command, ...args];
    file = wrapper;
  }
  const child = spawn(file, argv, {
    stdio: ["ignore", log, log],
    env: options.env ?? process.env,
    ...(user && !wrapper ? { uid: user.uid, gid: user.gid } : {}),
  });
  closeSync(log);
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => resolve(signal ?? String(code)));
    child.once("error", (error) => resolve(error.message));
  });
  let stopping: Promise<void> | null = null;
  return {
    pid: child.pid ?? 0,
    process: child,
    exited,
    stop(signal, timeoutMs) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill(signal);
        const timer = new Promise<string>((r) => setTimeout(() => r("timeout"), timeoutMs).unref());
        if ((await Promise.race([exited, timer])) === "timeout") {
          child.kill("SIGKILL");
          await exited;
        }
      })();
      return stopping;
    },
  };
}

/** Stops a server left running by a previous owner that died; waits until it is gone. */
export async function stopOrphan(pid: number, signal: NodeJS.Signals, timeoutMs = 15_000): Promise<boolean> {
  if (!alive(pid)) return false;
  try {
    process.kill(pid, signal);
  } catch {
    return false;
  }
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) process.kill(pid, "SIGKILL");
  return true;
}

/** The last lines of a log file, for an error message. */
export function tail(file: string, lines = 8): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** The command line of a process, or "" (Linux /proc; elsewhere `ps`). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    try {
      return execFileSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8" });
    } catch {
      return "";
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it is true, the child exits, or the time is up. */
export async function waitFor(check: () => Promise<boolean>, child: ServerChild | null, timeoutMs: number): Promise<"ready" | "exited" | "timeout"> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void child?.exited.then(() => {
    ended = true;
  });
  while (Date.now() < deadline) {
    if (ended) return "exited";
    if (await check()) return "ready";
    await sleep(100);
  }
  return "timeout";
}
