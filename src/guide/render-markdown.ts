/**
 * The guide as Markdown that passes markdownlint: ATX headings, a table of contents whose links
 * resolve, lines wrapped at 100 columns outside tables and code, special characters escaped outside
 * code spans, the diagram as an SVG file beside the guide.
 */
import { anchors, type Block, type GuideDocument } from "./document.js";

const WIDTH = 100;

/** Escapes Markdown's special characters outside `code` spans. */
export function inline(text: string, table = false): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? (table ? part.replace(/\|/g, "\\|") : part) : part.replace(/[\\*_<>[\]|#]/g, (c) => `\\${c}`)))
    .join("");
}

/** A word that would open a list item at the start of a line (`>` and `#` are escaped already). */
const STARTS_BLOCK = /^([-+*]|\d+[.)])$/;

/** Wraps text at the page width; a continuation line never starts like a list item or a heading. */
export function wrapLine(text: string, first: string, rest: string): string[] {
  const words = text.split(" ").filter(Boolean);
  const lines: string[] = [];
  let current = first;
  let empty = true;
  for (const word of words) {
    const next = empty ? current + word : `${current} ${word}`;
    if (!empty && next.length > WIDTH && !STARTS_BLOCK.test(word)) {
      lines.push(current);
      current = rest + word;
    } else current = next;
    empty = false;
  }
  lines.push(current);
  return lines;
}

function table(b: Extract<Block, { kind: "table" }>): string[] {
  const row = (cells: readonly string[]) => `|${cells.map((c) => (c ? ` ${inline(c, true)} ` : " ")).join("|")}|`;
  const rule = `| ${b.head.map((_, i) => ((b.right ?? []).includes(i) ? "---:" : "---")).join(" | ")} |`;
  return [row(b.head), rule, ...b.rows.map(row)];
}

/** Markdown of the guide. */
export function renderMarkdown(doc: GuideDocument, tocTitle: string): string {
  const ids = anchors(doc.blocks);
  const out: string[][] = [];
  for (const b of doc.blocks) {
    switch (b.kind) {
      case "heading":
        out.push([`${"#".repeat(b.level)} ${inline(b.text)}`]);
        break;
      case "paragraph":
        out.push(wrapLine(inline(b.text), "", ""));
        break;
      case "list":
        out.push(b.items.flatMap((item, i) => (b.ordered ? wrapLine(inline(item), `${i + 1}. `, "   ") : wrapLine(inline(item), "- ", "  "))));
        break;
      case "checklist":
        out.push(b.items.flatMap((item) => wrapLine(inline(item), "- [ ] ", "  ")));
        break;
      case "table":
        out.push(table(b));
        break;
      case "code":
        out.push([`\`\`\`${b.lang}`, ...b.text.replace(/\n+$/, "").split("\n"), "```"]);
        break;
      case "diagram":
        out.push([`![${inline(b.alt)}](${b.name})`]);
        break;
      case "toc": {
        const lines = [`## ${inline(tocTitle)}`, ""];
        for (const h of doc.blocks)
          if (h.kind === "heading" && h.level > 1 && h.level < 4) lines.push(`${h.level === 3 ? "  " : ""}- [${inline(h.text)}](#${ids.get(h)})`);
        out.push(lines);
        break;
      }
    }
  }
  return `${out.map((lines) => lines.join("\n")).join("\n\n")}\n`;
}
