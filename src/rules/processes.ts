/** Every process has something to run; scaling bounds are consistent. */
import type { Finding } from "../diagnostics/types.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

export const processesRule: FileRule = {
  name: "processes",
  check: ({ file, environments }) => {
    const findings: Finding[] = [];
    for (const env of environments) {
      for (const section of ["services", "jobs"] as const) {
        for (const [name, proc] of Object.entries(env.file[section] ?? {})) {
          if (proc.run === undefined && proc.image === undefined && proc.build === undefined) {
            findings.push({
              code: "service/no-command",
              message: `${section.slice(0, -1)} "${name}" has no run, image or build`,
              path: where(file, env.name, [section, name]),
            });
          }
        }
      }
      for (const [name, service] of Object.entries(env.file.services ?? {})) {
        const scale = service.scale;
        if (!scale) continue;
        if (service.replicas !== undefined)
          findings.push({
            code: "scale/replicas-and-scale",
            message: `service "${name}" sets both replicas and scale`,
            path: where(file, env.name, ["services", name, "replicas"]),
          });
        const desired = scale.desired ?? Math.max(scale.min, 1);
        if (scale.min > scale.max || desired < scale.min || desired > scale.max) {
          findings.push({
            code: "scale/bounds",
            message: `service "${name}": min ${scale.min}, desired ${desired}, max ${scale.max} are not in order`,
            path: where(file, env.name, ["services", name, "scale"]),
          });
        }
      }
    }
    return findings;
  },
};
