/**
 * The guide as data: headings, paragraphs, lists, tables, code and pictures. Sections build it; the
 * Markdown and HTML renderers write it. Inline text may hold `code` spans in backticks, nothing else,
 * so both renderers agree on what a sentence means.
 */

export type Block =
  | { readonly kind: "heading"; readonly level: 1 | 2 | 3 | 4; readonly text: string }
  | { readonly kind: "paragraph"; readonly text: string }
  | { readonly kind: "list"; readonly items: readonly string[]; readonly ordered?: boolean }
  | { readonly kind: "checklist"; readonly items: readonly string[] }
  | { readonly kind: "table"; readonly head: readonly string[]; readonly rows: readonly (readonly string[])[]; readonly right?: readonly number[] }
  | { readonly kind: "code"; readonly lang: "sh" | "ini" | "text"; readonly text: string }
  | { readonly kind: "diagram"; readonly name: string; readonly svg: string; readonly alt: string }
  | { readonly kind: "toc" };

export interface GuideDocument {
  readonly title: string;
  readonly lang: "en" | "fr";
  readonly blocks: readonly Block[];
}

/** Markdown-style inline code for a value shown as is (a command, a path, a port). */
export const code = (text: string | number): string => `\`${String(text).replace(/`/g, "'")}\``;

/** Blocks under construction, with a shorthand for each kind. */
export class Blocks {
  readonly list: Block[] = [];
  /** Added to every heading's level: sections written for one environment nest under a phase. */
  offset: 0 | 1 = 0;
  h(level: 1 | 2 | 3, text: string): this {
    this.list.push({ kind: "heading", level: (level + this.offset) as 1 | 2 | 3 | 4, text });
    return this;
  }
  p(text: string): this {
    if (text.trim()) this.list.push({ kind: "paragraph", text });
    return this;
  }
  items(items: readonly string[], ordered = false): this {
    if (items.length) this.list.push({ kind: "list", items, ordered });
    return this;
  }
  checks(items: readonly string[]): this {
    if (items.length) this.list.push({ kind: "checklist", items });
    return this;
  }
  table(head: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): this {
    if (rows.length) this.list.push({ kind: "table", head, rows, right });
    return this;
  }
  code(text: string, lang: "sh" | "ini" | "text" = "sh"): this {
    this.list.push({ kind: "code", lang, text });
    return this;
  }
  push(...blocks: Block[]): this {
    this.list.push(...blocks);
    return this;
  }
}

/** The anchor of a heading as GitHub and markdownlint make it: lower case, punctuation dropped, spaces to dashes. */
export function slug(text: string): string {
  return text
    .replace(/`/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, "")
    .replace(/ /g, "-");
}

/** Anchors of every heading, numbered when repeated (`setup`, `setup-1`), in document order. */
export function anchors(blocks: readonly Block[]): Map<Block, string> {
  const seen = new Map<string, number>();
  const out = new Map<Block, string>();
  for (const b of blocks) {
    if (b.kind !== "heading") continue;
    const base = slug(b.text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.set(b, n === 0 ? base : `${base}-${n}`);
  }
  return out;
}
