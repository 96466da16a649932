/**
 * Terminal text shared by every verb: aligned tables that fit a width, and word wrapping. Pure. Cells may
 * carry ANSI colours; widths are measured without them.
 */

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, "g");

/** Width of a cell as the terminal shows it (colour codes take no room). */
export const visibleLength = (text: string): number => text.replace(ANSI, "").length;

/** The width reports fit unless `--wide` is given. */
export const TERMINAL_WIDTH = 100;

export interface TableOptions {
  /** Columns aligned right (numbers), by index. */
  readonly right?: readonly number[];
  /** Text before each line (default none). */
  readonly indent?: string;
  /** The widest a line may be; the `wrap` column is wrapped to fit (default no limit). */
  readonly width?: number;
  /** The columns that wrap when the table is too wide, widest first (default the last one). */
  readonly wrap?: number | readonly number[];
}

/** Words of `text` in lines of at most `width` characters; a word longer than that is cut. */
export function wrap(text: string, width: number): string[] {
  if (width <= 0 || visibleLength(text) <= width) return [text];
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/ +/)) {
    let rest = word;
    while (rest.length > width) {
      if (line) lines.push(line);
      line = "";
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** A bullet (`    - text`) wrapped at `width` with its continuation lines under the text. */
export function bullet(text: string, width: number = Number.POSITIVE_INFINITY, indent = "    "): string {
  const lead = `${indent}- `;
  const lines = wrap(text, Number.isFinite(width) ? width - lead.length : 0);
  return lines.map((l, i) => `${i === 0 ? lead : " ".repeat(lead.length)}${l}`).join("\n");
}

/** Rows laid out in columns two spaces apart, trailing spaces trimmed. */
export function table(rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const { right = [], indent = "", width = Number.POSITIVE_INFINITY } = options;
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths: number[] = Array.from({ length: columns }, (_, i) => Math.max(0, ...rows.map((r) => visibleLength(r[i] ?? ""))));
  const wrapping = typeof options.wrap === "number" ? [options.wrap] : (options.wrap ?? [columns - 1]);
  let excess = indent.length + widths.reduce((s, w) => s + w, 0) + 2 * (columns - 1) - width;
  // Shrink the widest wrapping column, one character at a time, never below 12 characters.
  while (excess > 0) {
    const widest = wrapping.reduce((a, b) => ((widths[b] ?? 0) > (widths[a] ?? 0) ? b : a), wrapping[0] ?? -1);
    if (widest < 0 || (widths[widest] ?? 0) <= 12) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
    excess--;
  }
  const lines: string[] = [];
  for (const row of rows) {
    const cells = row.map((cell, i) => (wrapping.includes(i) && visibleLength(cell) > (widths[i] ?? 0) ? wrap(cell, widths[i] ?? 0) : [cell]));
    const height = Math.max(1, ...cells.map((c) => c.length));
    for (let line = 0; line < height; line++) {
      const text = cells
        .map((c, i) => {
          const cell = c[line] ?? "";
          const pad = " ".repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(cell)));
          return right.includes(i) ? pad + cell : cell + pad;
        })
        .join("  ");
      lines.push(`${indent}${text}`.trimEnd());
    }
  }
  return lines.join("\n");
}
