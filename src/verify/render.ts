/** The report as terminal text: one aligned line per check within 100 columns, then a summary. Pure. */
import type { CheckStatus, VerifyReport } from "./types.js";

export const WIDTH = 100;
/** Targets longer than this are cut, so that a detail keeps 36 columns. */
const TARGET_MAX = 44;

export interface Colors {
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly red: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

const WORD: Record<CheckStatus, string> = { pass: "ok", warn: "warn", fail: "FAIL", skip: "skip" };

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** Words of `text` in lines of at most `width` characters (a longer word is cut). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width) line = next;
    else {
      if (line) lines.push(line);
      line = cut(word, width);
    }
  }
  return line ? [...lines, line] : lines;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function renderReport(report: VerifyReport, c: Colors): string {
  const paint: Record<CheckStatus, (s: string) => string> = { pass: c.green, warn: c.yellow, fail: c.red, skip: c.dim };
  const kindWidth = Math.max(4, ...report.checks.map((r) => r.kind.length));
  const targetWidth = Math.min(TARGET_MAX, Math.max(6, ...report.checks.map((r) => r.target.length)));
  const detailColumn = 2 + 4 + 2 + kindWidth + 2 + targetWidth + 2;
  const detailWidth = Math.max(20, WIDTH - detailColumn);
  const head = `${c.bold(`${report.stack} (${report.environment})`)} at ${report.address}`;
  const lines = [cut(head, WIDTH + (head.length - `${report.stack} (${report.environment}) at ${report.address}`.length))];
  for (const r of report.checks) {
    const [first = "", ...rest] = wrap(r.service ? `${r.service}: ${r.detail}` : r.detail, detailWidth);
    const status = paint[r.status](WORD[r.status].padEnd(4));
    lines.push(`  ${status}  ${r.kind.padEnd(kindWidth)}  ${cut(r.target, targetWidth).padEnd(targetWidth)}  ${first}`.trimEnd());
    for (const more of rest) lines.push(`${" ".repeat(detailColumn)}${more}`);
  }
  const { pass, warn, fail, skip } = report.counts;
  const parts = [`${pass} passed`, ...(warn ? [plural(warn, "warning")] : []), ...(fail ? [`${fail} failed`] : []), ...(skip ? [`${skip} skipped`] : [])];
  const summary = `${plural(report.checks.length - skip, "check")}: ${parts.join(", ")} in ${(report.ms / 1000).toFixed(1)} s`;
  lines.push(report.ok ? summary : c.red(summary));
  return `${lines.join("\n")}\n`;
}
