/**
 * Layout with elkjs: the layered algorithm, left to right, orthogonal arrows, containers laid out
 * with their contents. Box sizes come from the label estimate (text-size.ts); every coordinate
 * returned is absolute. elkjs computes in a worker thread when one runs (elk-engine.ts).
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api.js";
import { layoutGraph } from "./elk-engine.js";
import { ROOT_OPTIONS } from "./elk-options.js";
import { expandGroups, gridSize, groupDiagram, LARGE, type Role } from "./grouped.js";
import { TEXT, textWidth } from "./text-size.js";
import type { Diagram, DiagramEdge, DiagramNode } from "./types.js";

/** Box geometry, in pixels. */
export const BOX = {
  padLeft: 38,
  padRight: 12,
  padY: 8,
  minWidth: 120,
  minHeight: 46,
  /** Space at the top of a container for its icon and title. */
  header: 30,
  containerPad: 14,
} as const;

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedNode extends Rect {
  readonly node: DiagramNode;
  readonly container: boolean;
  /** Nesting depth: 0 for a box at the top. */
  readonly depth: number;
}

export interface PlacedEdge {
  readonly edge: DiagramEdge;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly label: Rect | null;
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

/** The size a leaf box needs for its title and lines. */
export function boxSize(node: DiagramNode): { width: number; height: number } {
  const text = Math.max(textWidth(node.title, TEXT.title.size, true), ...node.lines.map((l) => textWidth(l, TEXT.line.size)));
  const width = Math.ceil(Math.max(BOX.minWidth, BOX.padLeft + text + BOX.padRight));
  const height = Math.ceil(Math.max(BOX.minHeight, 2 * BOX.padY + TEXT.title.line + node.lines.length * TEXT.line.line));
  return { width, height };
}

/** Width a container needs for its header. */
function headerWidth(node: DiagramNode): number {
  const lines = node.lines.length ? ` · ${node.lines.join(" · ")}` : "";
  return Math.ceil(BOX.padLeft + textWidth(node.title, TEXT.heading.size, true) + textWidth(lines, TEXT.line.size) + BOX.padRight);
}

/** The elkjs graph of a diagram: containers hold their children; every edge is declared at the root. */
export function elkGraph(
  diagram: Diagram,
  options: Record<string, string> = {},
  sizes: ReadonlyMap<string, { width: number; height: number }> = new Map(),
): ElkNode {
  const children = new Map<string | null, DiagramNode[]>();
  for (const n of diagram.nodes) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
  const toElk = (n: DiagramNode): ElkNode => {
    const inner = children.get(n.id) ?? [];
    const layer = n.layer ? { layoutOptions: { "elk.layered.layering.layerConstraint": n.layer === "first" ? "FIRST" : "LAST" } } : {};
    if (inner.length === 0) return { id: n.id, ...(sizes.get(n.id) ?? boxSize(n)), ...layer };
    const p = BOX.containerPad;
    return {
      id: n.id,
      children: inner.map(toElk),
      layoutOptions: {
        "elk.padding": `[top=${BOX.header + p},left=${p},bottom=${p},right=${p}]`,
        "elk.nodeSize.constraints": "MINIMUM_SIZE",
        "elk.nodeSize.minimum": `(${headerWidth(n)}, ${BOX.header + BOX.minHeight})`,
      },
    };
  };
  const edges: ElkExtendedEdge[] = diagram.edges.map((e: DiagramEdge) => ({
    id: e.id,
    sources: [e.from],
    targets: [e.to],
    ...(e.label ? { labels: [{ text: e.label, width: Math.ceil(textWidth(e.label, TEXT.edge.size) + 6), height: TEXT.edge.line + 2 }] } : {}),
  }));
  return { id: "root", layoutOptions: { ...ROOT_OPTIONS, ...options }, children: (children.get(null) ?? []).map(toElk), edges };
}

/** Boxes that hold no other box. */
export function leafCount(diagram: Diagram): number {
  const parents = new Set(diagram.nodes.map((n) => n.parent));
  return diagram.nodes.filter((n) => !parents.has(n.id)).length;
}

/** Lays the diagram out. Past LARGE boxes, by groups (grouped.ts), with `groupTitle` naming each group. */
export async function layout(diagram: Diagram, options: Record<string, string> = {}, groupTitle?: (role: Role, count: number) => string): Promise<Layout> {
  if (leafCount(diagram) > LARGE && groupTitle) {
    const grouped = groupDiagram(diagram, groupTitle);
    const sizes = new Map([...grouped.grids].map(([id, grid]) => [id, gridSize(grid)]));
    return expandGroups(await run(grouped.diagram, options, sizes), grouped.grids);
  }
  return run(diagram, options, new Map());
}

async function run(diagram: Diagram, options: Record<string, string>, sizes: ReadonlyMap<string, { width: number; height: number }>): Promise<Layout> {
  const result = await layoutGraph(elkGraph(diagram, options, sizes));
  const byId = new Map(diagram.nodes.map((n) => [n.id, n]));
  const nodes: PlacedNode[] = [];
  const visit = (elk: ElkNode, depth: number) => {
    for (const child of elk.children ?? []) {
      const node = byId.get(child.id);
      if (!node) continue;
      const container = (child.children?.length ?? 0) > 0;
      nodes.push({ node, container, depth, x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 });
      visit(child, depth + 1);
    }
  };
  visit(result, 0);
  const edgeById = new Map(diagram.edges.map((e) => [e.id, e]));
  const edges: PlacedEdge[] = [];
  const collect = (elk: ElkNode) => {
    for (const e of (elk.edges ?? []) as ElkExtendedEdge[]) {
      const edge = edgeById.get(e.id);
      const section = e.sections?.[0];
      if (!edge || !section) continue;
      const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
      const l = e.labels?.[0];
      edges.push({ edge, points, label: l ? { x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } : null });
    }
    for (const child of elk.children ?? []) collect(child);
  };
  collect(result);
  return { width: Math.ceil(result.width ?? 0), height: Math.ceil(result.height ?? 0), nodes, edges };
}
