/**
 * What to do when a replica exits: restart after a delay that doubles with each recent restart
 * (capped), stop because the policy says so, or give up and report a crash loop. Pure.
 */
import type { Restart } from "../../model/types.js";

export type ExitDecision =
  | { readonly action: "restart"; readonly delayMs: number }
  | { readonly action: "stop"; readonly reason: string }
  | { readonly action: "crash-loop"; readonly reason: string };

/** Exit codes of a shell that could not run the command: restarting cannot help. */
const NOT_RUNNABLE: Record<number, string> = { 126: "command found but not executable", 127: "command not found" };

/**
 * Decides after an exit. `recent` holds the times of earlier restarts; those older than the
 * policy's window are forgotten, so a replica that ran fine for a while starts from the base delay.
 */
export function decideRestart(policy: Restart, code: number | null, signal: string | null, recent: readonly number[], now: number): ExitDecision {
  if (code !== null && NOT_RUNNABLE[code]) return { action: "stop", reason: NOT_RUNNABLE[code] };
  const failed = code !== 0 || signal !== null;
  if (policy.policy === "never") return { action: "stop", reason: "restart policy is never" };
  if (policy.policy === "on-failure" && !failed) return { action: "stop", reason: "exited cleanly (restart policy is on-failure)" };
  const inWindow = recent.filter((t) => now - t < policy.windowMs).length;
  if (inWindow >= policy.maxRestarts) {
    return { action: "crash-loop", reason: `crash loop: restarted ${inWindow} times in ${Math.round(policy.windowMs / 1000)} s` };
  }
  return { action: "restart", delayMs: Math.min(policy.maxDelayMs, policy.delayMs * 2 ** inWindow) };
}

/** How an exit reads in a message: `exit code 1` or `killed by SIGKILL`. */
export function describeExit(code: number | null, signal: string | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}
