/** The `compose` target. */
import type { Target } from "../types.js";

export const composeTarget: Target = {
  name: "compose",
  description: "compose",
  generate: () => ({ files: [], warnings: [], errors: [] }),
};
