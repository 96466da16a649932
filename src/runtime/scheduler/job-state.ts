/**
 * What the scheduler remembers across runs of `cairn up`, in `<state>/jobs.json`: when it last
 * watched each job's schedule (for persistent catch-up) and how the last run went.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface RunRecord {
  readonly id: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  /** The slot it stands for, or null for a run started by hand. */
  readonly slot: string | null;
  readonly status: "running" | "succeeded" | "failed" | "timeout" | "cancelled";
  readonly exitCode: number | null;
  readonly attempts: number;
  readonly log: string;
}

export interface JobRecord {
  /** Until when the schedule was watched: slots after it and before now were missed. */
  seenAt: string | null;
  lastRun: RunRecord | null;
}

export type JobsState = Record<string, JobRecord>;

/** Reads the state; a missing or unreadable file is an empty state (nothing was ever run). */
export function readJobsState(path: string): JobsState {
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return data && typeof data === "object" ? (data as JobsState) : {};
  } catch {
    return {};
  }
}

/** Writes the state atomically (a crash never leaves half a file). */
export function writeJobsState(path: string, state: JobsState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, path);
}
