/**
 * A diagram to a picture: lay it out and draw it as SVG. Mermaid text is mermaid.ts; PNG is the SVG
 * photographed by Chromium (png.ts), at the edge.
 */
import type { Words } from "../guide/i18n/words.js";
import type { Role } from "./grouped.js";
import { layout } from "./layout.js";
import { renderSvg } from "./svg.js";
import type { Diagram, EdgeKind } from "./types.js";

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
