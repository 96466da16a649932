/**
 * Label sizes for the layout, from DejaVu Sans's advance widths (the font diagrams name first). A
 * character the table lacks counts as one em, wider than any it holds, so an estimate errs on the
 * roomy side; the geometry test measures the drawn labels in Chromium.
 */
import { BOLD, REGULAR } from "./font-metrics.js";

/** Font sizes and line heights, in pixels, shared by the layout and the renderer. */
export const TEXT = {
  title: { size: 13, line: 17 },
  line: { size: 11, line: 14 },
  edge: { size: 10, line: 13 },
  heading: { size: 13, line: 17 },
} as const;

export const FONT_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif";

/** Width in pixels of `text` at `size`. */
export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let em = 0;
  for (const c of text) em += table.get(c) ?? 1;
  return em * size;
}

/** Truncates `text` with an ellipsis so it fits in `max` pixels. */
export function fitText(text: string, size: number, max: number, bold = false): string {
  if (textWidth(text, size, bold) <= max) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join("")}…`, size, bold) > max) chars.pop();
  return `${chars.join("")}…`;
}
