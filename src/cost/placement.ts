/**
 * Where each resource lives on the option being priced. The model resolved placement for the
 * environment's own target; another option (`compare`) gets it again by the same rule, unless the
 * file chose explicitly (`managed:`), which Cairn detects as a placement differing from the default.
 */
import { placement as placementFor } from "../model/resolve-resource.js";
import type { Placement, Resource, Stack, TargetName } from "../model/types.js";
import type { ResourceInput } from "../schema/stack.js";

const defaultPlacement = (type: Resource["type"], target: TargetName): Placement => placementFor({ type } as ResourceInput, target);

/** Placement of `resource` when `stack` is hosted on `option`, and whether it changed from the model's. */
export function placementOn(stack: Stack, resource: Resource, option: TargetName): { placement: Placement; changed: boolean } {
  if (option === stack.environment.target || resource.placement === "external") return { placement: resource.placement, changed: false };
  const explicit = resource.placement !== defaultPlacement(resource.type, stack.environment.target);
  const placement = explicit ? resource.placement : defaultPlacement(resource.type, option);
  return { placement, changed: placement !== resource.placement };
}
