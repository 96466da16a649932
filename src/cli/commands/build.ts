/** `cairn build --target T [file] [--env NAME] [--out DIR] [--dry-run] [--json]`: the deployment files of one environment. */
import type { Command } from "commander";
import { type BuildResult, build } from "../../build/build.js";
import { targetNames } from "../../build/registry.js";
import type { TargetNote } from "../../targets/types.js";
import { type Context, paint, UserError } from "../context.js";
import { loadStacksOrFail } from "../load-or-fail.js";

export interface BuildOptions {
  readonly target?: string;
  readonly env?: string;
  readonly out?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

function note(c: ReturnType<typeof paint>, kind: "warning" | "error", n: TargetNote): string {
  const label = kind === "warning" ? c.yellow("warning:") : c.red("error:");
  return `${label} ${n.part}: ${n.message}\n  ${kind === "warning" ? "generated instead" : "to fix"}: ${n.instead}\n`;
}

function report(result: BuildResult, options: BuildOptions, context: Context): void {
  const c = paint(context);
  if (options.json) {
    const files = result.files.map((f) => ({ path: f.path, bytes: Buffer.byteLength(f.content), mode: `0${(f.mode ?? 0o644).toString(8)}` }));
    const { target, environment, outDir, warnings, errors, written, removed, next } = result;
    context.stdout.write(`${JSON.stringify({ target, environment, outDir, written, files, removed, warnings, errors, next }, null, 2)}\n`);
    return;
  }
  for (const w of result.warnings) context.stderr.write(note(c, "warning", w));
  for (const e of result.errors) context.stderr.write(note(c, "error", e));
  // The aws target of a vm environment is that environment's machine, as its next lines say: no mismatch to note.
  if (result.targetMismatch && !(result.target === "aws" && result.targetMismatch === "vm"))
    context.stderr.write(`${c.yellow("note:")} environment ${result.environment} targets ${result.targetMismatch}; built for ${result.target} anyway\n`);
  if (result.errors.length) {
    context.stderr.write(
      `${c.red("✗")} ${result.target} for ${result.environment}: ${result.errors.length} error${result.errors.length === 1 ? "" : "s"}; nothing written\n`,
    );
    return;
  }
  const width = Math.max(...result.files.map((f) => f.path.length));
  const verb = result.written ? "wrote" : "would write";
  context.stdout.write(`${c.green("✓")} ${result.target} for ${result.environment}: ${verb} ${result.files.length} files to ${result.shownOut}\n`);
  for (const f of result.files)
    context.stdout.write(`  ${f.path.padEnd(width)}  ${size(Buffer.byteLength(f.content)).padStart(8)}${f.mode === 0o755 ? "  (executable)" : ""}\n`);
  for (const r of result.removed) context.stdout.write(`  ${c.dim(`removed ${r} (no longer generated)`)}\n`);
  if (!result.written) return;
  if (result.next.length) context.stdout.write(`Next (${result.shownOut}/README.md says more):\n${result.next.map((l) => `  ${l}\n`).join("")}`);
  else context.stdout.write(`Next: read ${result.shownOut}/README.md\n`);
}

/** Runs the build; returns the exit code (0, or 1 when the target reports errors). */
export async function buildCommand(path: string, options: BuildOptions, context: Context): Promise<number> {
  if (!options.target) throw new UserError("which target? --target is required", `Targets: ${targetNames().join(", ")}.`);
  const stacks = await loadStacksOrFail(path, context);
  const result = await build(stacks, { target: options.target, env: options.env, out: options.out, dryRun: options.dryRun }, context.cwd);
  report(result, options, context);
  return result.errors.length ? 1 : 0;
}

/** Adds `cairn build` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("build")
    .description("write the deployment files of one environment for a target (vm, compose, ...)")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-t, --target <name>", `target: ${targetNames().join(", ")}`)
    .option("-e, --env <name>", "environment (default: the first whose target is the one asked)")
    .option("-o, --out <dir>", "output folder (default: out/<env>-<target> beside the stack file)")
    .option("--dry-run", "list the files without writing them")
    .option("--json", "print the result as JSON")
    .action(async (file: string, options: BuildOptions) => {
      result.code = await buildCommand(file, options, context);
    });
}
