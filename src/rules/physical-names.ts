/**
 * Buckets and tables carry names the cloud checks: each one, given with `name:` or derived, must be a name
 * S3 or DynamoDB accepts, and no two resources of a kind share one in an environment.
 */
import type { Finding } from "../diagnostics/types.js";
import { physicalName } from "../model/variables.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

/** Why S3 would refuse a bucket name, or null (the general-purpose bucket naming rules). */
export function bucketNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 63) return `is ${name.length} characters long; S3 takes 3 to 63`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return "must be lower-case letters, digits, dots and dashes, starting and ending with a letter or digit";
  if (name.includes("..")) return "must not hold two dots in a row";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not look like an IP address";
  if (/^xn--|^sthree-|-s3alias$|--ol-s3$/.test(name)) return "uses a prefix or suffix S3 reserves";
  return null;
}

/** Why DynamoDB would refuse a table name, or null. */
export function tableNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 255) return `is ${name.length} characters long; DynamoDB takes 3 to 255`;
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return "must be letters, digits, underscores, dots and dashes";
  return null;
}

export const physicalNamesRule: FileRule = {
  name: "physical-names",
  check: ({ file, environments }) => {
    const findings: Finding[] = [];
    const suffix = (env: string) => (environments.length > 1 ? ` (environment ${env})` : "");
    for (const env of environments) {
      const taken = new Map<string, string>();
      for (const [name, resource] of Object.entries(env.file.resources ?? {})) {
        if (resource.type !== "bucket" && resource.type !== "table") continue;
        const given = resource.name;
        const actual = physicalName(env.file.name, env.name, name, given);
        const path = where(file, env.name, given === undefined ? ["resources", name] : ["resources", name, "name"]);
        const problem = resource.type === "bucket" ? bucketNameProblem(actual) : tableNameProblem(actual);
        const kind = resource.type === "bucket" ? "bucket" : "table";
        if (problem) {
          const how = given === undefined ? ` (derived as <stack>-<env>-<resource>; set \`name:\` to choose one)` : "";
          findings.push({ code: "resource/name", message: `${kind} name "${actual}" of "${name}" ${problem}${how}${suffix(env.name)}`, path });
          continue;
        }
        const key = `${kind}:${actual}`;
        const other = taken.get(key);
        if (other) findings.push({ code: "resource/name", message: `"${name}" and "${other}" are both the ${kind} "${actual}"${suffix(env.name)}`, path });
        else taken.set(key, name);
      }
    }
    return findings;
  },
};
