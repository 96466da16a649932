/**
 * `cairn build` as a function: pick the environment and the output folder, run the target's pure
 * generator, and write its files unless it reported errors or this is a dry run.
 */
import { isAbsolute, relative, resolve } from "node:path";
import { UserError } from "../diagnostics/user-error.js";
import type { Stack } from "../model/types.js";
import type { GeneratedFile, TargetNote } from "../targets/types.js";
import { loadTarget, targetNames } from "./registry.js";
import { writeFiles } from "./write.js";

export interface BuildRequest {
  readonly target: string;
  readonly env?: string;
  /** Output folder as the user gave it (relative to `cwd`). */
  readonly out?: string;
  readonly dryRun?: boolean;
}

export interface BuildResult {
  readonly target: string;
  readonly environment: string;
  /** Absolute output folder. */
  readonly outDir: string;
  /** Output folder as shown to the user. */
  readonly shownOut: string;
  readonly files: readonly GeneratedFile[];
  readonly warnings: readonly TargetNote[];
  readonly errors: readonly TargetNote[];
  readonly written: boolean;
  readonly removed: readonly string[];
  /** Set when the environment's own target is another one. */
  readonly targetMismatch: string | null;
  /** What to do with the files next (the target's own words). */
  readonly next: readonly string[];
}

/**
 * The environment to build: the one named, else the first whose target is `target`, else the file as
 * written when it declares no environment at all.
 */
export function pickEnvironment(stacks: readonly Stack[], target: string, env: string | undefined): Stack {
  const names = stacks.map((s) => `${s.environment.name} (${s.environment.target})`).join(", ");
  if (env !== undefined) {
    const stack = stacks.find((s) => s.environment.name === env);
    if (!stack) throw new UserError(`no environment "${env}" in the stack file`, `Environments: ${names}.`);
    return stack;
  }
  const stack = stacks.find((s) => s.environment.target === target) ?? (stacks.length === 1 && !stacks[0]?.environment.declared ? stacks[0] : undefined);
  if (!stack)
    throw new UserError(`no environment has target ${target}`, `Pick one with --env (environments: ${names}), or add one with \`target: ${target}\`.`);
  return stack;
}

/** Runs the build; writes nothing when the target reports errors or on a dry run. */
export async function build(stacks: readonly Stack[], request: BuildRequest, cwd: string): Promise<BuildResult> {
  const target = await loadTarget(request.target);
  if (!target) throw new UserError(`unknown target "${request.target}"`, `Targets: ${targetNames().join(", ")}.`);
  const stack = pickEnvironment(stacks, target.name, request.env);
  const env = stack.environment.name;
  const outDir = request.out ? resolve(cwd, request.out) : resolve(stack.root, "out", `${env}-${target.name}`);
  const fromRoot = relative(stack.root, outDir);
  // The generated README names the folder relative to the project when it is inside it.
  const outForGenerator = fromRoot && !fromRoot.startsWith("..") && !isAbsolute(fromRoot) ? fromRoot.replace(/\\/g, "/") : outDir;
  const output = target.generate(stack, { outDir: outForGenerator });
  const shownOut = relative(cwd, outDir) || ".";
  const write = output.errors.length === 0 && !request.dryRun;
  const removed = write ? (await writeFiles(outDir, output.files)).removed : [];
  return {
    target: target.name,
    environment: env,
    outDir,
    shownOut: shownOut.startsWith("..") ? outDir : shownOut,
    files: output.files,
    warnings: output.warnings,
    errors: output.errors,
    written: write,
    removed,
    targetMismatch: stack.environment.target === target.name || !stack.environment.declared ? null : stack.environment.target,
    next: output.next?.(shownOut.startsWith("..") ? outDir : shownOut) ?? [],
  };
}
