/** The `vm` target. */
import type { Target } from "../types.js";

export const vmTarget: Target = {
  name: "vm",
  description: "vm",
  generate: () => ({ files: [], warnings: [], errors: [] }),
};
