/**
 * The elkjs options of every diagram, and a small graph drawn with them that the layout worker lays
 * out as soon as elkjs is loaded (elk-worker.ts). elkjs's first layout in a process costs twice its
 * next ones (its Java classes initialize, its code is still interpreted); laid out while the main
 * thread loads the stack, that first layout is off the command's path.
 */
import type { ElkNode } from "elkjs/lib/elk-api.js";

/** Options of the root of every diagram's graph (layout.ts). */
export const ROOT_OPTIONS: Readonly<Record<string, string>> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.hierarchyHandling": "INCLUDE_CHILDREN",
  "elk.json.edgeCoords": "ROOT",
  "elk.json.shapeCoords": "ROOT",
  "elk.spacing.nodeNode": "22",
  "elk.layered.spacing.nodeNodeBetweenLayers": "56",
  "elk.spacing.edgeNode": "14",
  "elk.spacing.edgeEdge": "8",
  "elk.spacing.edgeLabel": "4",
  "elk.layered.spacing.edgeNodeBetweenLayers": "18",
  // Network-simplex placement draws the same pictures here at three times the cost.
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.edgeLabels.placement": "CENTER",
  "elk.padding": "[top=16,left=16,bottom=16,right=16]",
};

/**
 * A diagram's shape in small: an edge in the first layer, a container of two boxes, a store in the
 * last layer, arrows with and without labels. A new graph at each call: elkjs writes into it.
 */
export function warmUpGraph(): ElkNode {
  return {
    id: "root",
    layoutOptions: { ...ROOT_OPTIONS },
    children: [
      { id: "edge", width: 120, height: 46, layoutOptions: { "elk.layered.layering.layerConstraint": "FIRST" } },
      {
        id: "host",
        layoutOptions: {
          "elk.padding": "[top=44,left=14,bottom=14,right=14]",
          "elk.nodeSize.constraints": "MINIMUM_SIZE",
          "elk.nodeSize.minimum": "(200, 76)",
        },
        children: [
          { id: "web", width: 140, height: 60 },
          { id: "job", width: 130, height: 46 },
        ],
      },
      { id: "db", width: 120, height: 46, layoutOptions: { "elk.layered.layering.layerConstraint": "LAST" } },
    ],
    edges: [
      { id: "a", sources: ["edge"], targets: ["web"], labels: [{ text: "443", width: 30, height: 16 }] },
      { id: "b", sources: ["web"], targets: ["db"] },
      { id: "c", sources: ["job"], targets: ["db"], labels: [{ text: "sql", width: 28, height: 16 }] },
    ],
  };
}
