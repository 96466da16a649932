/** Every `${...}` must name a declared part with a real attribute, and secrets must be declared. */
import type { Finding } from "../diagnostics/types.js";
import { type Names, parseTemplate } from "../model/references.js";
import type { Template } from "../model/types.js";
import { eachTemplate } from "./each-template.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

function declaredSecrets(secrets: unknown): Set<string> {
  if (Array.isArray(secrets)) return new Set(secrets as string[]);
  return new Set(Object.keys((secrets as Record<string, unknown>) ?? {}));
}

/** Names referenced in `template` that the file declares but `kept` (an environment's names) does not. */
export function removedParts(template: Template, kept: Names): string[] {
  const out = new Set<string>();
  for (const part of template)
    if ((part.kind === "resource" || part.kind === "service") && !kept.services.has(part.name) && !kept.resources.has(part.name)) out.add(part.name);
  return [...out];
}

/** A use of a part an environment removed, at the use. */
export function removedFinding(part: string, env: string, path: Finding["path"]): Finding {
  return {
    code: "ref/removed",
    message: `"${part}" is removed in environment ${env} (\`${part}: null\`), but this still uses it there`,
    path,
    hint: `Remove this use in environment ${env} too (set it to null, or give depends_on without "${part}"), or keep "${part}" there.`,
  };
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
        const { template, problems } = parseTemplate(site.value, env.names);
        // A part the file declares but this environment removes (`cache: null`): say so, not "unknown".
        const removed = removedParts(parseTemplate(site.value, names).template, env.names);
        for (const part of removed) findings.push(removedFinding(part, env.name, path));
        for (const problem of problems)
          if (!(removed.length && problem.code === "ref/unknown")) findings.push({ code: problem.code, message: problem.message, path });
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
