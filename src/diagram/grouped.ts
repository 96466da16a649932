/**
 * Layout of large diagrams by groups. elkjs's layered layout grows much faster than the graph (a
 * stack of 20 services with a 20-deep dependency chain already takes seconds; 300 overflow its
 * stack), so past LARGE boxes (40) the boxes of one role (routes, services, jobs, data) under one parent
 * are packed in a grid inside a group, elkjs lays out only the groups and containers, and one arrow
 * per pair of groups, labelled with how many dependencies it stands for, replaces the arrows between
 * boxes. Every box is still drawn once.
 */
import { BOX, boxSize, type Layout, type PlacedNode } from "./layout.js";
import type { Diagram, DiagramEdge, DiagramNode, NodeKind } from "./types.js";

/** Diagrams with more boxes than this are laid out by groups. */
export const LARGE = 40;

export type Role = "route" | "service" | "job" | "data" | "other";

const ROLES: Partial<Record<NodeKind, Role>> = {
  route: "route",
  service: "service",
  job: "job",
  postgres: "data",
  redis: "data",
  bucket: "data",
  table: "data",
  external: "data",
  static: "data",
};

export const roleOf = (kind: NodeKind): Role => ROLES[kind] ?? "other";

const GAP = 12;

/** The grouped diagram: groups of many boxes replaced by one box the size of their grid. */
export function groupDiagram(diagram: Diagram, title: (role: Role, count: number) => string) {
  const parents = new Set(diagram.nodes.map((n) => n.parent).filter((p): p is string => p !== null));
  const leaves = diagram.nodes.filter((n) => !parents.has(n.id));
  const groups = new Map<string, DiagramNode[]>();
  for (const n of leaves) {
    const key = `group:${n.parent ?? "root"}:${roleOf(n.kind)}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  const groupOf = new Map<string, string>();
  const grids = new Map<string, { members: DiagramNode[]; cols: number; cell: { width: number; height: number } }>();
  const nodes: DiagramNode[] = diagram.nodes.filter((n) => parents.has(n.id));
  for (const [key, members] of groups) {
    const first = members[0];
    if (!first) continue;
    if (members.length < 4) {
      nodes.push(...members);
      continue;
    }
    const cell = members.map(boxSize).reduce((a, b) => ({ width: Math.max(a.width, b.width), height: Math.max(a.height, b.height) }));
    const cols = Math.max(1, Math.round(Math.sqrt((members.length * cell.height) / cell.width)));
    grids.set(key, { members, cols, cell });
    for (const m of members) groupOf.set(m.id, key);
    nodes.push({ id: key, kind: first.kind, title: title(roleOf(first.kind), members.length), lines: [], parent: first.parent, ref: null });
  }
  const pairs = new Map<string, DiagramEdge & { count: number }>();
  for (const e of diagram.edges) {
    const from = groupOf.get(e.from) ?? e.from;
    const to = groupOf.get(e.to) ?? e.to;
    if (from === to) continue;
    const key = `${from}>${to}>${e.kind}`;
    const seen = pairs.get(key);
    if (seen) seen.count++;
    else pairs.set(key, { ...e, id: `g${pairs.size}`, from, to, count: 1 });
  }
  const edges = [...pairs.values()].map(({ count, ...e }) => ({ ...e, label: count > 1 ? `× ${count}` : e.label }));
  return { diagram: { ...diagram, nodes, edges }, grids };
}

/** The size a group's grid needs, and where each member goes in it. */
export function gridSize(grid: { members: readonly DiagramNode[]; cols: number; cell: { width: number; height: number } }) {
  const rows = Math.ceil(grid.members.length / grid.cols);
  return {
    width: grid.cols * (grid.cell.width + GAP) - GAP + 2 * BOX.containerPad,
    height: BOX.header + rows * (grid.cell.height + GAP) - GAP + 2 * BOX.containerPad,
  };
}

/** Places the members of each laid-out group in its grid; arrows stay between groups. */
export function expandGroups(placed: Layout, grids: ReturnType<typeof groupDiagram>["grids"]): Layout {
  const nodes: PlacedNode[] = [];
  for (const p of placed.nodes) {
    const grid = grids.get(p.node.id);
    if (!grid) {
      nodes.push(p);
      continue;
    }
    nodes.push({ ...p, container: true });
    grid.members.forEach((m, i) => {
      const col = i % grid.cols;
      const row = Math.floor(i / grid.cols);
      nodes.push({
        node: m,
        container: false,
        depth: p.depth + 1,
        x: p.x + BOX.containerPad + col * (grid.cell.width + GAP),
        y: p.y + BOX.header + BOX.containerPad + row * (grid.cell.height + GAP),
        width: grid.cell.width,
        height: grid.cell.height,
      });
    });
  }
  return { ...placed, nodes };
}
