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

const MAX_SHOWN = 120;

/** Where each line of a text starts: built once per text, so rendering n diagnostics stays linear. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The line index of the last text rendered. Every caller renders many diagnostics of one source in a row;
 * keeping its index means each one costs its own line, not a scan from the top of the file (which made
 * 20,000 diagnostics take seconds). Comparing the same string to itself is a pointer check.
 */
let indexed: { text: string; starts: number[] } | null = null;

/** Line `n` (1-based) of a text. */
function lineAt(text: string, n: number): string | undefined {
  if (indexed?.text !== text) indexed = { text, starts: lineStarts(text) };
  const start = indexed.starts[n - 1];
  if (start === undefined) return undefined;
  const next = indexed.starts[n];
  const end = next === undefined ? text.length : next - 1;
  return text.slice(start, end).replace(/\r$/, "");
}

/** A long line cut around the column, so a minified or generated line stays readable. */
function windowOf(line: string, column: number): { text: string; column: number } {
  if (line.length <= MAX_SHOWN) return { text: line, column };
  const start = Math.max(0, Math.min(column - 1 - MAX_SHOWN / 2, line.length - MAX_SHOWN));
  const head = start > 0 ? "…" : "";
  const tail = start + MAX_SHOWN < line.length ? "…" : "";
  return { text: `${head}${line.slice(start, start + MAX_SHOWN)}${tail}`, column: column - start + head.length };
}

export function renderDiagnostic(d: Diagnostic, text: string | null, cwd: string, c: Colors): string {
  const where = d.line > 0 ? `${relative(cwd, d.file) || d.file}:${d.line}:${d.column}` : relative(cwd, d.file) || d.file;
  const label = d.severity === "error" ? c.red("error") : c.yellow("warning");
  const envs = d.environments.length ? c.dim(` [${d.environments.join(", ")}]`) : "";
  const lines = [`${c.bold(where)} ${label} ${c.dim(d.code)}${envs}`, `  ${d.message}`];
  const source = text && d.line > 0 ? lineAt(text, d.line) : undefined;
  if (source !== undefined) {
    const gutter = String(d.line).padStart(4);
    const width = d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : Math.max(1, source.length - d.column + 1);
    const view = windowOf(source.replace(/\t/g, " "), d.column);
    lines.push(c.dim(`${gutter} | `) + view.text);
    lines.push(
      `${c.dim(`${" ".repeat(gutter.length)} | `)}${" ".repeat(Math.max(0, view.column - 1))}${(d.severity === "error" ? c.red : c.yellow)("^".repeat(Math.max(1, Math.min(width, 80, view.text.length - view.column + 1))))}`,
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
