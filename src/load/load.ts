/** Reads and analyzes a stack file: the one entry point every verb uses to get a model. */

import type { Stack } from "../model/types.js";
import { type Analysis, type AnalyzeOptions, analyze } from "./analyze.js";
import { checkDotEnv, checkProjectFolders } from "./project-files.js";
import { readStackFile } from "./read.js";
import { makeDiagnostic } from "./source.js";

export async function loadStack(path: string, cwd: string, options: AnalyzeOptions = {}): Promise<Analysis> {
  const read = await readStackFile(path, cwd);
  if (!read.ok) return { file: read.diagnostic.file, source: null, input: null, stacks: new Map(), diagnostics: [read.diagnostic] };
  const analysis = analyze(read.file, read.text, options);
  if (!analysis.input || !analysis.source) return analysis;
  const errors = await checkProjectFolders(analysis.source, analysis.input);
  const dotenv = options.lint === false ? null : await checkDotEnv(read.file);
  const found = [...errors, ...(dotenv ? [dotenv] : [])];
  if (found.length === 0) return analysis;
  const diagnostics = [...analysis.diagnostics, ...found].sort((a, b) => a.line - b.line || a.column - b.column);
  return { ...analysis, stacks: errors.length ? new Map() : analysis.stacks, diagnostics };
}

/** True when the analysis has errors (warnings do not count). */
export function hasErrors(analysis: Pick<Analysis, "diagnostics">): boolean {
  return analysis.diagnostics.some((d) => d.severity === "error");
}

/** The stack for an environment, or the first one; null when the file has errors. */
export function pickStack(analysis: Analysis, env?: string): Stack | null {
  if (env !== undefined) return analysis.stacks.get(env) ?? null;
  return analysis.stacks.values().next().value ?? null;
}

export { makeDiagnostic };
