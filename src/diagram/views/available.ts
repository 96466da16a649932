/** Which views an environment has: the logical view always, and the view of its target when Cairn draws one. */
import type { Stack } from "../../model/types.js";
import type { ViewName } from "../types.js";

/** Views that can be drawn for this environment, the logical one first. */
export function viewsFor(stack: Stack): ViewName[] {
  const target = stack.environment.target;
  return target === "vm" || target === "aws" || target === "k8s" ? ["logical", target] : ["logical"];
}
