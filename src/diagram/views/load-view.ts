/**
 * One view's builder, loading that view's module alone. `cairn diagram` draws one view: the logical
 * view reads the model only, and each target view loads its own target's code, not the others'.
 * The guide and the console draw every view and use index.ts.
 */
import type { Words } from "../../guide/i18n/words.js";
import type { Stack } from "../../model/types.js";
import type { Diagram, ViewName } from "../types.js";

export type ViewBuilder = (stack: Stack, w: Words) => Diagram;

/** The function that builds `view`. */
export async function loadView(view: ViewName): Promise<ViewBuilder> {
  switch (view) {
    case "logical":
      return (await import("./logical.js")).logicalView;
    case "aws":
      return (await import("./aws.js")).awsView;
    case "k8s":
      return (await import("./k8s.js")).k8sView;
    case "vm":
      return (await import("./vm.js")).vmView;
  }
}
