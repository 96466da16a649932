/** What one machine cannot hold of the stack's resources, and where it comes from instead. Pure. */
import type { Stack } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import { onMachine } from "./layout.js";

/** The command that creates an environment's managed AWS parts (tables, buckets, the instance role). */
export function awsCommand(stack: Stack): string {
  return `cairn build --target aws --env ${stack.environment.name}`;
}

export function resourceNotes(stack: Stack): TargetNote[] {
  const notes: TargetNote[] = [];
  const kinds: Record<string, string> = { bucket: "S3 bucket", table: "DynamoDB table", postgres: "RDS", redis: "ElastiCache" };
  const managed = stack.resources.filter(
    (r) => r.type === "bucket" || r.type === "table" || ((r.type === "postgres" || r.type === "redis") && r.placement === "managed"),
  );
  if (managed.length) {
    const names = managed.map((r) => `${r.name} (${kinds[r.type]})`).join(", ");
    notes.push({
      part: "resources",
      message: `${names} ${managed.length === 1 ? "is a managed AWS service" : "are managed AWS services"} in ${stack.environment.region}, reached by the machine's instance role`,
      instead: `nothing on the machine; \`${awsCommand(stack)}\` creates them, the role and the machine, and the processes get their names as on aws`,
    });
  }
  for (const r of stack.resources) {
    if (r.type === "static" && r.cdn)
      notes.push({ part: `resources.${r.name}.cdn`, message: "a single machine has no CDN", instead: "nginx serves the files" });
    if ((r.type === "postgres" || r.type === "redis") && onMachine(r.placement) && (r.replicas > 0 || (r.type === "postgres" && r.ha))) {
      notes.push({ part: `resources.${r.name}`, message: "replicas and high availability need more than one machine", instead: "one server on this machine" });
    }
  }
  return notes;
}
