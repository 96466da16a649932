/**
 * The views of an environment: the logical view always, and the view of its target when Cairn has
 * one (vm, aws, k8s), each drawn from what that target's generator produces.
 */

import type { Words } from "../../guide/i18n/words.js";
import type { Stack } from "../../model/types.js";
import type { Diagram, ViewName } from "../types.js";
import { awsView } from "./aws.js";
import { k8sView } from "./k8s.js";
import { logicalView } from "./logical.js";
import { vmView } from "./vm.js";

export { viewsFor } from "./available.js";

/** The diagram of one view (which must be one of `viewsFor(stack)`). */
export function buildView(stack: Stack, view: ViewName, w: Words): Diagram {
  switch (view) {
    case "logical":
      return logicalView(stack, w);
    case "aws":
      return awsView(stack, w);
    case "k8s":
      return k8sView(stack, w);
    case "vm":
      return vmView(stack, w);
  }
}
