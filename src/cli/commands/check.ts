/** `cairn check [file] [--env NAME] [--json] [--strict]`: validate and lint a stack file. */
import { relative } from "node:path";
import type { Command } from "commander";
import { renderDiagnostic, summarize } from "../../diagnostics/render.js";
import type { Diagnostic } from "../../diagnostics/types.js";
import { loadStack } from "../../load/load.js";
import type { Stack } from "../../model/types.js";
import { type Context, paint } from "../context.js";

export interface CheckOptions {
  readonly env?: string;
  readonly json?: boolean;
  readonly strict?: boolean;
}

function describe(stack: Stack): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  return [n(stack.services.length, "service"), n(stack.jobs.length, "job"), n(stack.resources.length, "resource"), n(stack.routes.length, "route")].join(", ");
}

/** Runs the check; returns the exit code (0 clean, 1 errors, or warnings under --strict). */
export async function check(path: string, options: CheckOptions, context: Context): Promise<number> {
  const analysis = await loadStack(path, context.cwd, { env: options.env });
  const failing = (d: Diagnostic) => d.severity === "error" || options.strict === true;
  const code = analysis.diagnostics.some(failing) ? 1 : 0;
  if (options.json) {
    const report = {
      file: analysis.file,
      ok: code === 0,
      errors: analysis.diagnostics.filter((d) => d.severity === "error").length,
      warnings: analysis.diagnostics.filter((d) => d.severity === "warning").length,
      environments: [...analysis.stacks.values()].map((s) => ({
        name: s.environment.name,
        target: s.environment.target,
        region: s.environment.region,
        services: s.services.length,
        jobs: s.jobs.length,
        resources: s.resources.length,
      })),
      diagnostics: analysis.diagnostics,
    };
    context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return code;
  }
  const c = paint(context);
  const text = analysis.source?.text ?? null;
  for (const d of analysis.diagnostics) context.stderr.write(`${renderDiagnostic(d, text, context.cwd, c)}\n\n`);
  const name = relative(context.cwd, analysis.file) || analysis.file;
  const first = analysis.stacks.values().next().value;
  if (code === 0) {
    const envs = [...analysis.stacks.values()].map((s) => `${s.environment.name} (${s.environment.target})`).join(", ");
    const tail = analysis.diagnostics.length ? `, ${summarize(analysis.diagnostics)}` : "";
    context.stdout.write(`${c.green("✓")} ${name}: ${first ? describe(first) : ""}; environments ${envs}${tail}\n`);
  } else {
    context.stderr.write(`${c.red("✗")} ${name}: ${summarize(analysis.diagnostics)}${options.strict ? " (--strict: warnings count)" : ""}\n`);
  }
  return code;
}

/** Adds `cairn check` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("check")
    .description("validate a stack file: every error with its place and a hint, then lint findings")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "check one environment only")
    .option("--json", "print the result as JSON")
    .option("--strict", "treat warnings as errors")
    .action(async (file: string, options: CheckOptions) => {
      result.code = await check(file, options, context);
    });
}
