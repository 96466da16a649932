/** Every `${...}` must name a declared part with a real attribute, and secrets must be declared. */
import type { Finding } from "../diagnostics/types.js";
import { parseTemplate } from "../model/references.js";
import { eachTemplate } from "./each-template.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

function declaredSecrets(secrets: unknown): Set<string> {
  if (Array.isArray(secrets)) return new Set(secrets as string[]);
  return new Set(Object.keys((secrets as Record<string, unknown>) ?? {}));
}

export const referencesRule: FileRule = {
  name: "references",
  check: ({ file, environments, names }) => {
    const findings: Finding[] = [];
    const secrets = declaredSecrets(file.secrets);
    // Each environment's view: an override may bring its own values (the same finding in several
    // views has the same path and is reported once).
    for (const env of environments) {
      for (const site of eachTemplate(env.file)) {
        const path = where(file, env.name, site.path);
        const { template, problems } = parseTemplate(site.value, names);
        for (const problem of problems) findings.push({ code: problem.code, message: problem.message, path });
        for (const part of template) {
          if (part.kind === "secret" && !secrets.has(part.name)) {
            findings.push({
              code: "secret/undeclared",
              message: `secret "${part.name}" is used but not declared under secrets`,
              path,
              hint: `Add "${part.name}" to \`secrets:\`.`,
            });
          }
          if (part.kind === "var" && part.name === "run.date" && !site.inJobArgs) {
            findings.push({ code: "ref/context", message: "${run.date} is only known in a job's args", path });
          }
        }
      }
    }
    return findings;
  },
};
