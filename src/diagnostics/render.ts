/** Renders diagnostics for a terminal: place, code, message, the offending line with a caret, the hint. */
import { relative } from "node:path";
import type { Diagnostic } from "./types.js";

interface Colors {
  red: (s: string) => string;
  yellow: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
  cyan: (s: string) => string;
}

export function renderDiagnostic(d: Diagnostic, text: string | null, cwd: string, c: Colors): string {
  const where = d.line > 0 ? `${relative(cwd, d.file) || d.file}:${d.line}:${d.column}` : relative(cwd, d.file) || d.file;
  const label = d.severity === "error" ? c.red("error") : c.yellow("warning");
  const envs = d.environments.length ? c.dim(` [${d.environments.join(", ")}]`) : "";
  const lines = [`${c.bold(where)} ${label} ${c.dim(d.code)}${envs}`, `  ${d.message}`];
  const source = text && d.line > 0 ? text.split("\n")[d.line - 1] : undefined;
  if (source !== undefined) {
    const gutter = String(d.line).padStart(4);
    const width = d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : Math.max(1, source.length - d.column + 1);
    lines.push(c.dim(`${gutter} | `) + source.replace(/\t/g, " "));
    lines.push(
      `${c.dim(`${" ".repeat(gutter.length)} | `)}${" ".repeat(Math.max(0, d.column - 1))}${(d.severity === "error" ? c.red : c.yellow)("^".repeat(Math.min(width, 80)))}`,
    );
  }
  if (d.hint) lines.push(`  ${c.cyan("hint:")} ${d.hint}`);
  return lines.join("\n");
}

/** A count such as "2 errors, 1 warning". */
export function summarize(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}
