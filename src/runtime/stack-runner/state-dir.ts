/**
 * The project's state folder for one environment, `<stack folder>/.cairn/<env>/` (gitignored):
 * logs, job state, resource data, the running `cairn up`'s description and its control socket.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface StatePaths {
  readonly dir: string;
  readonly logs: string;
  readonly jobLogs: (job: string) => string;
  readonly resources: (name: string) => string;
  readonly jobs: string;
  /** Written by a running `cairn up`: its pid, socket, URLs. */
  readonly runner: string;
  /** What a detached `cairn up` prints about itself. */
  readonly daemonLog: string;
  readonly accessLog: string;
  readonly socket: string;
}

/** Unix socket paths are limited to about 107 bytes; long ones move to the temporary folder. */
function socketPath(dir: string): string {
  const inside = join(dir, "control.sock");
  if (Buffer.byteLength(inside) < 100) return inside;
  return join(tmpdir(), `cairn-${createHash("sha256").update(dir).digest("hex").slice(0, 16)}.sock`);
}

export function statePaths(root: string, environment: string): StatePaths {
  const dir = join(root, ".cairn", environment);
  return {
    dir,
    logs: join(dir, "logs"),
    jobLogs: (job) => join(dir, "logs", "jobs", job),
    resources: (name) => join(dir, "resources", name),
    jobs: join(dir, "jobs.json"),
    runner: join(dir, "runner.json"),
    daemonLog: join(dir, "logs", "cairn.log"),
    accessLog: join(dir, "logs", "access.log"),
    socket: socketPath(dir),
  };
}

/** What a running `cairn up` writes about itself. */
export interface RunnerInfo {
  readonly pid: number;
  readonly socket: string;
  readonly file: string;
  readonly environment: string;
  readonly startedAt: string;
  readonly edgeUrl: string | null;
}

/** The running `cairn up` for this folder and environment, or null (none, or a stale file). */
export function readRunner(paths: StatePaths): RunnerInfo | null {
  try {
    const info = JSON.parse(readFileSync(paths.runner, "utf8")) as RunnerInfo;
    process.kill(info.pid, 0);
    return info;
  } catch {
    return null;
  }
}
