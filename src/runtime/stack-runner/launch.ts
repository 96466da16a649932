/**
 * Starting the detached daemon for `cairn up -d` and finding a running one. Works both from the
 * built CLI (JavaScript) and from the sources run through tsx (tests), by starting this folder's
 * `daemon` file with the same kind of loader.
 */
import { fork } from "node:child_process";
import { existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DaemonMessage } from "./daemon.js";
import { type StatePaths, statePaths } from "./state-dir.js";

/** The daemon file next to this one, and the Node flags needed to run it. */
function daemonEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const typescript = here.endsWith(".ts");
  return { file: join(dirname(here), typescript ? "daemon.ts" : "daemon.js"), execArgv: typescript ? ["--import", import.meta.resolve("tsx")] : [] };
}

/**
 * Starts the daemon for a stack file and environment; resolves with its first message (ready or
 * failed). The daemon is in its own session: closing the terminal does not stop it.
 */
export function startDaemon(
  file: string,
  environment: string,
  paths: StatePaths,
  options: { cwd: string; watch: boolean; waitGateway: boolean; env: NodeJS.ProcessEnv },
): Promise<DaemonMessage & { pid: number }> {
  mkdirSync(paths.logs, { recursive: true });
  const log = openSync(paths.daemonLog, "a");
  const { file: entry, execArgv } = daemonEntry();
  const child = fork(entry, [file, environment, options.watch ? "watch" : "nowatch", options.waitGateway ? "wait" : "nowait"], {
    cwd: options.cwd,
    env: options.env,
    execArgv,
    detached: true,
    stdio: ["ignore", log, log, "ipc"],
  });
  return new Promise((done) => {
    child.once("message", (message: DaemonMessage) => {
      child.disconnect();
      child.unref();
      done({ ...message, pid: child.pid ?? 0 });
    });
    child.once("exit", (code) =>
      done({ type: "failed", message: `cairn up stopped (exit code ${code}); see ${paths.daemonLog}`, hint: null, pid: child.pid ?? 0 }),
    );
  });
}

/** The stack file and state folder a path names (a file, or a folder holding cairn.yaml). */
export function locate(path: string, cwd: string, environment: string): { file: string; root: string; paths: StatePaths } {
  const full = resolve(cwd, path);
  const file = existsSync(full) && statSync(full).isDirectory() ? join(full, "cairn.yaml") : full;
  const root = dirname(file);
  return { file, root, paths: statePaths(root, environment) };
}
