/** What of the stack's edge the local gateway does not do, said once when `cairn up` starts. Pure. */
import type { Edge } from "../../model/types.js";

/** One sentence naming the edge features that only the cloud and vm targets apply, or null. */
export function notAppliedLocally(edge: Edge): string | null {
  const parts: string[] = [];
  if (edge.tls.mode !== "off") parts.push(`TLS (${edge.tls.mode === "auto" ? "auto" : "certificate"}): the local edge serves plain HTTP`);
  if (edge.waf.length) parts.push(`waf (${edge.waf.join(", ")})`);
  if (edge.geoBlock.length) parts.push(`geo_block (${edge.geoBlock.join(", ")})`);
  if (edge.cdn) parts.push("cdn");
  return parts.length ? `edge: not applied by the local gateway, applied by the build targets: ${parts.join("; ")}` : null;
}
