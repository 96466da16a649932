/**
 * The Markdown guide of every example, in both languages: markdownlint finds nothing (line length
 * allowed to 100 outside tables and code, headings repeated under different phases), every link to a
 * heading resolves, every picture it shows is a file written beside it, and a hostile value from the
 * stack file cannot break the Markdown.
 */
import { lint } from "markdownlint/sync";
import { describe, expect, it } from "vitest";
import { anchors, Blocks, type GuideDocument } from "./document.js";
import { renderMarkdown } from "./render-markdown.js";
import { EXAMPLES, exampleGuide } from "./test-support.js";

const CONFIG = { default: true, MD013: { line_length: 100, tables: false, code_blocks: false }, MD024: { siblings_only: true } };

function problems(markdown: string): string[] {
  const result = lint({ strings: { guide: markdown }, config: CONFIG });
  return (result.guide ?? []).map((e) => `${e.lineNumber}: ${e.ruleNames.join("/")} ${e.ruleDescription} ${e.errorDetail ?? ""} [${e.errorContext ?? ""}]`);
}

describe("Markdown guide", () => {
  for (const name of EXAMPLES)
    for (const lang of ["en", "fr"] as const)
      it(`${name} (${lang}) passes markdownlint; its links and pictures resolve`, async () => {
        const guide = await exampleGuide(name, lang);
        const md = renderMarkdown(guide.document, "Contents");
        expect(problems(md)).toEqual([]);
        const ids = new Set(anchors(guide.document.blocks).values());
        const fragments = [...md.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
        expect(fragments.length).toBeGreaterThan(10);
        expect(fragments.filter((f) => !ids.has(f ?? ""))).toEqual([]);
        const pictures = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
        expect(pictures.length).toBeGreaterThan(0);
        const written = new Set(guide.diagrams.map((d) => d.file));
        expect(pictures.filter((p) => !written.has(p ?? ""))).toEqual([]);
      });

  it("escapes what the stack file says, so it stays text", () => {
    const b = new Blocks()
      .h(1, "T")
      .p("a *b* _c_ <script> [x](y) # not a heading")
      .table(["h"], [["a | b"]]);
    const doc: GuideDocument = { title: "T", lang: "en", blocks: b.list };
    const md = renderMarkdown(doc, "Contents");
    expect(md).toContain("a \\*b\\* \\_c\\_ \\<script\\> \\[x\\](y) \\# not a heading");
    expect(md).toContain("| a \\| b |");
    expect(problems(md)).toEqual([]);
  });

  it("never starts a wrapped line with a list marker", () => {
    const words = Array.from({ length: 60 }, (_, i) => (i % 7 === 6 ? "-" : i % 5 === 4 ? "12." : "word"));
    const md = renderMarkdown({ title: "T", lang: "en", blocks: new Blocks().h(1, "T").p(words.join(" ")).list }, "Contents");
    for (const line of md.split("\n").slice(2)) expect(line).not.toMatch(/^(-|\d+\.) /);
    expect(problems(md)).toEqual([]);
  });
});
