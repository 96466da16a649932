/**
 * The SVG of a laid-out diagram: one self-contained file (icons drawn inline, no font file, image or
 * link fetched), readable on screen and on paper. Each box carries `data-id`, `data-kind` and the
 * model part it shows (`data-ref`); each label names its box (`data-box`), so tests can check them.
 */
import { KIND_STYLES } from "./icons.js";
import { BOX, type Layout, type PlacedEdge, type PlacedNode } from "./layout.js";
import { FONT_FAMILY, fitText, TEXT, textWidth } from "./text-size.js";
import type { Diagram, EdgeKind } from "./types.js";

/** Escapes text for XML content and attribute values. */
export function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}

const EDGE_STYLES: Readonly<Record<EdgeKind, { color: string; dash: string | null; width: number }>> = {
  traffic: { color: "#1f5fa8", dash: null, width: 1.6 },
  data: { color: "#6b5a45", dash: null, width: 1.2 },
  call: { color: "#23784b", dash: "6 3", width: 1.2 },
  secret: { color: "#8a9099", dash: "2 3", width: 1.1 },
};

const TOP = 40;
const r = (n: number) => Math.round(n * 10) / 10;

function icon(kind: PlacedNode["node"]["kind"], x: number, y: number): string {
  const style = KIND_STYLES[kind];
  return `<g transform="translate(${r(x)},${r(y)})" color="${style.color}" aria-hidden="true">${style.icon}</g>`;
}

function container(p: PlacedNode): string {
  const style = KIND_STYLES[p.node.kind];
  const y = p.y + TOP;
  const extra = p.node.lines.length ? ` · ${p.node.lines.join(" · ")}` : "";
  const titleWidth = textWidth(p.node.title, TEXT.heading.size, true);
  const room = p.width - BOX.padLeft - BOX.padRight - titleWidth;
  return [
    `<g class="box container" data-id="${xml(p.node.id)}" data-kind="${p.node.kind}"${p.node.ref ? ` data-ref="${xml(p.node.ref)}"` : ""}>`,
    `<rect x="${r(p.x)}" y="${r(y)}" width="${r(p.width)}" height="${r(p.height)}" rx="8" fill="${style.fill}" fill-opacity="0.55" stroke="${style.color}" stroke-width="1.2" stroke-dasharray="${p.node.kind === "subnet" ? "5 3" : "none"}"/>`,
    icon(p.node.kind, p.x + 10, y + 6),
    `<text class="heading" data-box="${xml(p.node.id)}" x="${r(p.x + BOX.padLeft - 4)}" y="${r(y + 20)}" font-size="${TEXT.heading.size}" font-weight="bold" fill="${style.color}">${xml(p.node.title)}`,
    extra && room > 20 ? `<tspan font-size="${TEXT.line.size}" font-weight="normal" fill="#444">${xml(fitText(extra, TEXT.line.size, room))}</tspan>` : "",
    "</text></g>",
  ].join("");
}

function box(p: PlacedNode): string {
  const style = KIND_STYLES[p.node.kind];
  const y = p.y + TOP;
  const id = xml(p.node.id);
  const parts = [
    `<g class="box" data-id="${id}" data-kind="${p.node.kind}"${p.node.ref ? ` data-ref="${xml(p.node.ref)}"` : ""}>`,
    `<rect x="${r(p.x)}" y="${r(y)}" width="${r(p.width)}" height="${r(p.height)}" rx="6" fill="${style.fill}" stroke="${style.color}" stroke-width="1.4"/>`,
    icon(p.node.kind, p.x + 10, y + BOX.padY + 1),
    `<text class="title" data-box="${id}" x="${r(p.x + BOX.padLeft - 4)}" y="${r(y + BOX.padY + 13)}" font-size="${TEXT.title.size}" font-weight="bold" fill="#1d2329">${xml(p.node.title)}</text>`,
  ];
  p.node.lines.forEach((line, i) => {
    const baseline = y + BOX.padY + TEXT.title.line + i * TEXT.line.line + 10;
    parts.push(
      `<text class="line" data-box="${id}" x="${r(p.x + BOX.padLeft - 4)}" y="${r(baseline)}" font-size="${TEXT.line.size}" fill="#3b4148">${xml(line)}</text>`,
    );
  });
  parts.push("</g>");
  return parts.join("");
}

function edge(p: PlacedEdge): string {
  const style = EDGE_STYLES[p.edge.kind];
  const d = p.points.map((pt, i) => `${i === 0 ? "M" : "L"}${r(pt.x)} ${r(pt.y + TOP)}`).join(" ");
  const path = `<path class="edge ${p.edge.kind}" data-from="${xml(p.edge.from)}" data-to="${xml(p.edge.to)}" d="${d}" fill="none" stroke="${style.color}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ""} marker-end="url(#arrow-${p.edge.kind})"/>`;
  if (!p.label || !p.edge.label) return path;
  const l = p.label;
  return `${path}<g class="edge-label"><rect x="${r(l.x)}" y="${r(l.y + TOP)}" width="${r(l.width)}" height="${r(l.height)}" rx="3" fill="#ffffff" fill-opacity="0.9"/><text data-box="label:${xml(p.edge.id)}" x="${r(l.x + 3)}" y="${r(l.y + TOP + TEXT.edge.line - 2)}" font-size="${TEXT.edge.size}" fill="${style.color}">${xml(p.edge.label)}</text></g>`;
}

function markers(): string {
  return Object.entries(EDGE_STYLES)
    .map(
      ([kind, s]) =>
        `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="${s.color}"/></marker>`,
    )
    .join("");
}

/** Wraps `text` into lines that fit `width` pixels at `size`. */
export function wrap(text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/)) {
    const next = current ? `${current} ${word}` : word;
    if (current && textWidth(next, size) > width) {
      lines.push(current);
      current = word;
    } else current = next;
  }
  if (current) lines.push(current);
  return lines;
}

/** The SVG document. `legend` names the arrow kinds in the diagram's language. */
export function renderSvg(diagram: Diagram, placed: Layout, legend: Readonly<Record<EdgeKind, string>>): string {
  const width = Math.max(placed.width, 640);
  const noteLines = diagram.notes.flatMap((n) => wrap(`• ${n}`, TEXT.line.size, width - 32));
  const legendY = TOP + placed.height + 10;
  const notesY = legendY + 26;
  const height = Math.ceil(notesY + noteLines.length * TEXT.line.line + 12);
  const containers = [...placed.nodes].filter((n) => n.container).sort((a, b) => a.depth - b.depth);
  const kinds = [...new Set(diagram.edges.map((e) => e.kind))];
  let lx = 16;
  const legendItems = kinds.map((kind) => {
    const s = EDGE_STYLES[kind];
    const item = `<path d="M${lx} ${legendY + 6}h26" stroke="${s.color}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""} marker-end="url(#arrow-${kind})"/><text x="${lx + 32}" y="${legendY + 10}" font-size="${TEXT.line.size}" fill="#3b4148">${xml(legend[kind])}</text>`;
    lx += 44 + textWidth(legend[kind], TEXT.line.size);
    return item;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}" role="img" aria-label="${xml(diagram.title)}">`,
    `<title>${xml(diagram.title)}</title>`,
    `<defs>${markers()}</defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text class="diagram-title" x="16" y="26" font-size="15" font-weight="bold" fill="#1d2329">${xml(diagram.title)}</text>`,
    `<g class="containers">${containers.map(container).join("")}</g>`,
    `<g class="edges">${placed.edges.map(edge).join("")}</g>`,
    `<g class="boxes">${placed.nodes
      .filter((n) => !n.container)
      .map(box)
      .join("")}</g>`,
    `<g class="legend">${legendItems.join("")}</g>`,
    `<g class="notes">${noteLines.map((line, i) => `<text x="16" y="${notesY + i * TEXT.line.line + 10}" font-size="${TEXT.line.size}" fill="#3b4148">${xml(line)}</text>`).join("")}</g>`,
    "</svg>",
    "",
  ].join("\n");
}
