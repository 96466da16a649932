/** A bucket's `seed` and a static site's `dir` stay inside the project unless the entry opts out. */
import type { Finding } from "../diagnostics/types.js";
import { leavesProject, projectPaths } from "../model/project-paths.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

export const projectPathsRule: FileRule = {
  name: "project-paths",
  check: ({ file, environments }) => {
    const findings: Finding[] = [];
    for (const env of environments)
      for (const entry of projectPaths(env.file.resources as Record<string, unknown> | undefined)) {
        const why = leavesProject(entry.value);
        if (why === null || entry.outsideAllowed) continue;
        findings.push({
          code: "path/outside-project",
          message: `${JSON.stringify(entry.value)} leaves the project's folder: ${why}`,
          path: where(file, env.name, entry.path),
        });
      }
    return findings;
  },
};
