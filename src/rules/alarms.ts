/** Alarms must be understood. */
import type { Finding } from "../diagnostics/types.js";
import { parseAlarm } from "../model/resolve-edge.js";
import type { FileRule } from "./types.js";

export const alarmsRule: FileRule = {
  name: "alarms",
  check: ({ file }) => {
    const findings: Finding[] = [];
    for (const [i, alarm] of (file.alarms ?? []).entries()) {
      const parsed = parseAlarm(alarm);
      if (typeof parsed === "string") findings.push({ code: "alarm/syntax", message: parsed, path: ["alarms", i] });
    }
    return findings;
  },
};
