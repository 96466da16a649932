/**
 * The guide as one HTML file: styles and the SVG diagrams inlined, nothing fetched, readable on
 * screen and printed (tables and pictures not split across pages, links shown as text).
 */
import { anchors, type Block, type GuideDocument } from "./document.js";

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] ?? c);
}

/** Escaped text with `code` spans as <code>. */
function inline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part)))
    .join("");
}

const STYLE = `
body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#1d2329;max-width:1100px;margin:2rem auto;padding:0 1.5rem;line-height:1.5;font-size:15px}
h1{font-size:1.8rem;border-bottom:2px solid #1f5fa8;padding-bottom:.3rem}
h2{font-size:1.35rem;margin-top:2.2rem;border-bottom:1px solid #d5dae0;padding-bottom:.2rem}
h3{font-size:1.1rem;margin-top:1.6rem}
code{font-family:'DejaVu Sans Mono',monospace;font-size:.88em;background:#f1f3f5;padding:.05em .3em;border-radius:3px}
pre{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:6px;padding:.8rem 1rem;overflow-x:auto;font-size:.85rem;line-height:1.4}
pre code{background:none;padding:0}
table{border-collapse:collapse;margin:.8rem 0;font-size:.88rem;width:100%}
th,td{border:1px solid #d5dae0;padding:.35rem .55rem;text-align:left;vertical-align:top}
th{background:#eef2f6}
td.num{text-align:right;white-space:nowrap}
tr:nth-child(even) td{background:#fafbfc}
figure{margin:1rem 0;overflow-x:auto}
figure svg{height:auto}
ul.checklist{list-style:none;padding-left:1.2rem}
ul.checklist li::before{content:"\\2610\\00a0";font-size:1.1em}
nav.toc{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:6px;padding:.6rem 1.2rem}
nav.toc ul{margin:.3rem 0}
nav.toc>ul{columns:3 16rem;column-gap:2rem}
nav.toc>ul>li{break-inside:avoid}
@media print{
  body{max-width:none;margin:0;font-size:11pt}
  nav.toc{page-break-after:always}
  h2,h3{page-break-after:avoid}
  table,figure,pre{page-break-inside:avoid}
  figure{overflow:visible}
  figure svg{max-width:100%}
  tr{page-break-inside:avoid}
  a{color:inherit;text-decoration:none}
  pre{white-space:pre-wrap}
}
`;

function block(b: Block, ids: Map<Block, string>, doc: GuideDocument, tocTitle: string): string {
  switch (b.kind) {
    case "heading":
      return `<h${b.level} id="${escapeHtml(ids.get(b) ?? "")}">${inline(b.text)}</h${b.level}>`;
    case "paragraph":
      return `<p>${inline(b.text)}</p>`;
    case "list": {
      const tag = b.ordered ? "ol" : "ul";
      return `<${tag}>${b.items.map((i) => `<li>${inline(i)}</li>`).join("")}</${tag}>`;
    }
    case "checklist":
      return `<ul class="checklist">${b.items.map((i) => `<li>${inline(i)}</li>`).join("")}</ul>`;
    case "table": {
      const right = new Set(b.right ?? []);
      const head = b.head.map((h) => `<th>${inline(h)}</th>`).join("");
      const rows = b.rows.map((r) => `<tr>${r.map((c, i) => `<td${right.has(i) ? ' class="num"' : ""}>${inline(c)}</td>`).join("")}</tr>`).join("\n");
      return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
    }
    case "code":
      return `<pre><code class="language-${b.lang}">${escapeHtml(b.text.replace(/\n+$/, ""))}</code></pre>`;
    case "diagram":
      return `<figure role="group" aria-label="${escapeHtml(b.alt)}">${b.svg.replace(/^<\?xml[^>]*>\s*/, "")}</figure>`;
    case "toc": {
      // Nested: each section's subsections stay with it in one column.
      const link = (h: Extract<Block, { kind: "heading" }>) => `<a href="#${escapeHtml(ids.get(h) ?? "")}">${inline(h.text)}</a>`;
      const items: string[] = [];
      let open: string[] = [];
      const close = () => {
        if (open.length) items[items.length - 1] += `<ul>${open.join("")}</ul>`;
        open = [];
      };
      for (const h of doc.blocks) {
        if (h.kind !== "heading" || h.level < 2 || h.level > 3) continue;
        if (h.level === 2) {
          close();
          items.push(link(h));
        } else open.push(`<li>${link(h)}</li>`);
      }
      close();
      return `<nav class="toc"><strong>${escapeHtml(tocTitle)}</strong><ul>${items.map((i) => `<li>${i}</li>`).join("")}</ul></nav>`;
    }
  }
}

/** The HTML file of the guide. */
export function renderHtml(doc: GuideDocument, tocTitle: string): string {
  const ids = anchors(doc.blocks);
  return [
    "<!doctype html>",
    `<html lang="${doc.lang}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    ...doc.blocks.map((b) => block(b, ids, doc, tocTitle)),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
