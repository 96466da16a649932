/**
 * The diagram as a Mermaid flowchart, for Markdown that renders Mermaid (GitHub, GitLab, many
 * wikis): containers become subgraphs, boxes keep their title and lines, arrows keep their kind.
 */
import { KIND_STYLES } from "./icons.js";
import type { Diagram, DiagramNode, EdgeKind } from "./types.js";

/** Text made safe inside a quoted Mermaid label (entity codes instead of markup characters). */
export function mermaidText(text: string): string {
  return text.replace(/[#"<>&|]/g, (c) => `#${c.charCodeAt(0)};`);
}

const ARROWS: Readonly<Record<EdgeKind, string>> = { traffic: "==>", data: "-->", call: "-.->", secret: "-.->" };

/** The flowchart text. */
export function renderMermaid(diagram: Diagram): string {
  const ids = new Map(diagram.nodes.map((n, i) => [n.id, `n${i}`]));
  const children = new Map<string | null, DiagramNode[]>();
  for (const n of diagram.nodes) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
  const lines = ["---", `title: "${mermaidText(diagram.title)}"`, "---", "flowchart LR"];
  const label = (n: DiagramNode) => [n.title, ...n.lines].map(mermaidText).join("<br/>");
  const emit = (n: DiagramNode, indent: string) => {
    const id = ids.get(n.id) ?? "x";
    const inner = children.get(n.id) ?? [];
    if (inner.length === 0) {
      lines.push(`${indent}${id}["${label(n)}"]:::${n.kind}`);
      return;
    }
    lines.push(`${indent}subgraph ${id}["${label(n)}"]`, `${indent}  direction LR`);
    for (const c of inner) emit(c, `${indent}  `);
    lines.push(`${indent}end`);
  };
  for (const n of children.get(null) ?? []) emit(n, "  ");
  for (const e of diagram.edges) {
    const arrow = ARROWS[e.kind];
    const text = e.label ? `|"${mermaidText(e.label)}"|` : "";
    lines.push(`  ${ids.get(e.from)} ${arrow}${text} ${ids.get(e.to)}`);
  }
  const kinds = [...new Set(diagram.nodes.map((n) => n.kind))];
  for (const kind of kinds) lines.push(`  classDef ${kind} fill:${KIND_STYLES[kind].fill},stroke:${KIND_STYLES[kind].color},color:#1d2329`);
  for (const n of diagram.nodes)
    if ((children.get(n.id) ?? []).length) lines.push(`  style ${ids.get(n.id)} fill:${KIND_STYLES[n.kind].fill},stroke:${KIND_STYLES[n.kind].color}`);
  return `${lines.join("\n")}\n`;
}
