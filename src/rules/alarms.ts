/** Alarms must be understood, the stack's own and those an environment sets instead. */
import type { Finding } from "../diagnostics/types.js";
import { parseAlarm } from "../model/resolve-edge.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

export const alarmsRule: FileRule = {
  name: "alarms",
  check: ({ file, environments }) => {
    const findings: Finding[] = [];
    for (const env of environments) {
      for (const [i, alarm] of (env.file.alarms ?? []).entries()) {
        const parsed = parseAlarm(alarm);
        if (typeof parsed === "string") findings.push({ code: "alarm/syntax", message: parsed, path: where(file, env.name, ["alarms", i]) });
      }
    }
    return findings;
  },
};
