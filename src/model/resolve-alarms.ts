/** Resolves alarms; ones that do not parse were reported by the rules and are left out. */
import type { StackFile } from "../schema/stack.js";
import { parseAlarm } from "./resolve-edge.js";
import type { Alarm } from "./types.js";

export function resolveAlarms(input: StackFile["alarms"]): Alarm[] {
  return (input ?? []).map(parseAlarm).filter((a): a is Alarm => typeof a !== "string");
}
