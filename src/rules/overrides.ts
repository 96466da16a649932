/** Environment overrides may only change parts the stack declares. */
import type { Finding } from "../diagnostics/types.js";
import { didYouMean } from "../schema/did-you-mean.js";
import type { FileRule } from "./types.js";

export const overridesRule: FileRule = {
  name: "overrides",
  check: ({ file }) => {
    const findings: Finding[] = [];
    for (const [envName, env] of Object.entries(file.environments ?? {})) {
      for (const section of ["services", "jobs", "resources"] as const) {
        const declared = Object.keys(file[section] ?? {});
        for (const name of Object.keys(env[section] ?? {})) {
          if (declared.includes(name)) continue;
          const suggestion = didYouMean(name, declared);
          findings.push({
            code: "env/unknown-part",
            message: `environment "${envName}" overrides ${section.slice(0, -1)} "${name}", which the stack does not declare${suggestion ? `: did you mean "${suggestion}"?` : ""}`,
            path: ["environments", envName, section, name],
            onKey: true,
          });
        }
      }
    }
    return findings;
  },
};
