/** Job schedules, backup schedules and time zones must parse. */
import type { Finding } from "../diagnostics/types.js";
import { isTimeZone, parseSchedule } from "../model/schedule.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

export const schedulesRule: FileRule = {
  name: "schedules",
  check: ({ file, environments }) => {
    const findings: Finding[] = [];
    for (const env of environments) {
      for (const [name, job] of Object.entries(env.file.jobs ?? {})) {
        const zone = job.timezone ?? "UTC";
        if (!isTimeZone(zone))
          findings.push({ code: "schedule/timezone", message: `"${zone}" is not a time zone`, path: where(file, env.name, ["jobs", name, "timezone"]) });
        if (job.schedule === undefined) continue;
        const parsed = parseSchedule(job.schedule, zone);
        if (!parsed.ok)
          findings.push({ code: "schedule/invalid", message: `job "${name}": ${parsed.error}`, path: where(file, env.name, ["jobs", name, "schedule"]) });
      }
      for (const [name, resource] of Object.entries(env.file.resources ?? {})) {
        const backups = "backups" in resource ? resource.backups : undefined;
        if (backups && typeof backups === "object" && backups.schedule) {
          const parsed = parseSchedule(backups.schedule);
          if (!parsed.ok)
            findings.push({
              code: "schedule/invalid",
              message: `backups of "${name}": ${parsed.error}`,
              path: where(file, env.name, ["resources", name, "backups", "schedule"]),
            });
        }
      }
    }
    return findings;
  },
};
