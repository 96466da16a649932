/** Stops a running `cairn up` (the daemon or a foreground one) and waits until its process is gone. */
import { readFileSync, rmSync } from "node:fs";
import { sendControl } from "./control.js";
import { type RunnerInfo, readRunner, type StatePaths } from "./state-dir.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isCairn(pid: number): boolean {
  try {
    return /cairn|stack-runner/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return false;
  }
}

export type StopResult = { readonly kind: "none" } | { readonly kind: "stale"; readonly file: string } | { readonly kind: "stopped"; readonly pid: number };

/**
 * Asks the runner to stop over its socket; without an answer, signals its pid, but only when that pid
 * still is a cairn process (pids are reused after a crash). Waits up to 30 s, then SIGKILL.
 */
export async function stopRunner(paths: StatePaths, info: RunnerInfo | null = readRunner(paths)): Promise<StopResult> {
  if (!info) return { kind: "none" };
  const answer = await sendControl<{ ok: boolean }>(info.socket, { op: "down" }).catch(() => null);
  if (!answer && alive(info.pid)) {
    if (!isCairn(info.pid)) {
      rmSync(paths.runner, { force: true });
      return { kind: "stale", file: paths.runner };
    }
    process.kill(info.pid, "SIGTERM");
  }
  const end = Date.now() + 30_000;
  while (alive(info.pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  if (alive(info.pid)) process.kill(info.pid, "SIGKILL");
  return { kind: "stopped", pid: info.pid };
}
