/** Environment variable names must be names a shell and every target accept (`A B`, `1X` are not). */
import type { Finding } from "../diagnostics/types.js";
import { isVariableName } from "../model/variable-names.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

export const variablesRule: FileRule = {
  name: "variables",
  check: ({ file, environments }) => {
    const findings: Finding[] = [];
    for (const env of environments) {
      const maps: { path: (string | number)[]; env: Record<string, unknown> | undefined }[] = [];
      for (const section of ["services", "jobs"] as const)
        for (const [name, proc] of Object.entries(env.file[section] ?? {})) maps.push({ path: [section, name, "env"], env: proc.env });
      for (const [name, resource] of Object.entries(env.file.resources ?? {}))
        if (resource.type === "static") maps.push({ path: ["resources", name, "env"], env: resource.env });
      for (const { path, env: vars } of maps)
        for (const key of Object.keys(vars ?? {}))
          if (!isVariableName(key))
            findings.push({
              code: "env/variable-name",
              message: `${JSON.stringify(key)} is not a variable name`,
              path: where(file, env.name, [...path, key]),
              onKey: true,
            });
    }
    return findings;
  },
};
