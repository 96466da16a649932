/**
 * One call from a stack to a picture: build the view, then lay it out and draw it as SVG, or write
 * it as Mermaid text. PNG is the SVG photographed by Chromium (png.ts), at the edge.
 */
import type { Words } from "../guide/i18n/words.js";
import type { Stack } from "../model/types.js";
import type { Role } from "./grouped.js";
import { layout } from "./layout.js";
import { renderMermaid } from "./mermaid.js";
import { renderSvg } from "./svg.js";
import type { Diagram, EdgeKind, ViewName } from "./types.js";
import { buildView } from "./views/index.js";

export type TextFormat = "svg" | "mermaid";

/** The arrow kinds' names for the legend, in the diagram's language. */
export function legendOf(w: Words): Record<EdgeKind, string> {
  return { traffic: w.t("diagram.legend.traffic"), data: w.t("diagram.legend.data"), call: w.t("diagram.legend.call"), secret: w.t("diagram.legend.secret") };
}

/** The title of a group of boxes in a large diagram: "1,000 services". */
export function groupTitle(w: Words): (role: Role, count: number) => string {
  return (role, count) => w.t(`group.${role}`, { count });
}

/** The SVG of a diagram. */
export async function svgOf(diagram: Diagram, w: Words): Promise<string> {
  return renderSvg(diagram, await layout(diagram, {}, groupTitle(w)), legendOf(w));
}

/** The view of `stack` as SVG or Mermaid text. */
export async function renderView(stack: Stack, view: ViewName, format: TextFormat, w: Words): Promise<string> {
  const diagram = buildView(stack, view, w);
  return format === "mermaid" ? renderMermaid(diagram) : svgOf(diagram, w);
}
