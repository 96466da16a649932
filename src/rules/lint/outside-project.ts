/** A folder the stack reads from outside the project (`outside_project: true`): allowed, and said. */
import type { Finding } from "../../diagnostics/types.js";
import type { LintRule } from "../types.js";

export const outsideProject: LintRule = {
  code: "lint/outside-project",
  check: (stack) =>
    stack.resources.flatMap((r): Finding[] => {
      if (r.type === "bucket" && r.outsideProject && r.seed !== null)
        return [
          {
            code: "lint/outside-project",
            message: `bucket "${r.name}" is seeded from ${r.seed}, outside the project`,
            path: ["resources", r.name, "outside_project"],
          },
        ];
      if (r.type === "static" && r.outsideProject)
        return [
          {
            code: "lint/outside-project",
            message: `static site "${r.name}" serves ${r.dir}, outside the project`,
            path: ["resources", r.name, "outside_project"],
          },
        ];
      return [];
    }),
};
