/**
 * The contract every deployment target follows: a pure generator, model in, files out. Writing
 * the files is a separate step (one writer for all targets). Output is deterministic: the same
 * stack gives the same bytes, with stable names and sorted keys.
 */
import type { BuildTargetName } from "../model/targets.js";
import type { Stack } from "../model/types.js";

export interface GeneratedFile {
  /** Path relative to the output folder, with forward slashes. */
  readonly path: string;
  readonly content: string;
  /** File mode, such as 0o755 for scripts (default 0o644). */
  readonly mode?: number;
}

/** Something the target cannot express exactly. */
export interface TargetNote {
  /** The part of the stack concerned, such as `services.dashboard.sticky`. */
  readonly part: string;
  readonly message: string;
  /** What was generated instead (warnings), or what to change (errors). */
  readonly instead: string;
}

export interface TargetOutput {
  readonly files: readonly GeneratedFile[];
  /** Differences the user should know about; the files are still usable. */
  readonly warnings: readonly TargetNote[];
  /** Differences that would change behaviour silently: nothing should be written. */
  readonly errors: readonly TargetNote[];
  /** What to do with the files, in a few lines, given the output folder as the user sees it. */
  readonly next?: (out: string) => readonly string[];
}

export interface GenerateOptions {
  /** Name of the output folder as the user will see it, for the generated README. */
  readonly outDir?: string;
}

/** A build target's pure generator: stack in, files out. */
export interface TargetGenerator {
  readonly name: BuildTargetName;
  readonly description: string;
  readonly generate: (stack: Stack, options: GenerateOptions) => TargetOutput;
}
