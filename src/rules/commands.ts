/**
 * A command line (`run:`, a static site's `build:`) must fit on one line, since a systemd unit, a compose
 * file and a shell script each carry it as one; and it must not hold a Cairn reference: `run:` is given to a
 * shell as written, so `${secret.X}` would be a "Bad substitution", and a secret on a command line shows
 * in `ps` and in logs. Values reach a command through the environment.
 */
import type { Finding } from "../diagnostics/types.js";
import { referencesInCommand } from "../model/variable-names.js";
import type { StackFile } from "../schema/stack.js";
import type { FileRule } from "./types.js";
import { where } from "./where.js";

function* commands(file: StackFile): Generator<{ path: (string | number)[]; text: string; templated?: boolean }> {
  for (const section of ["services", "jobs"] as const)
    for (const [name, proc] of Object.entries(file[section] ?? {})) {
      const run = proc.run;
      if (typeof run === "string") yield { path: [section, name, "run"], text: run };
      else if (Array.isArray(run)) for (const [i, arg] of run.entries()) yield { path: [section, name, "run", i], text: arg };
    }
  // Job args are templates (their references are replaced), but they go on the same command line.
  for (const [name, job] of Object.entries(file.jobs ?? {}))
    for (const [i, arg] of (job.args ?? []).entries()) yield { path: ["jobs", name, "args", i], text: arg, templated: true };
  for (const [name, resource] of Object.entries(file.resources ?? {}))
    if (resource.type === "static" && resource.build !== undefined) yield { path: ["resources", name, "build"], text: resource.build };
}

/** A variable name for a reference's hint: `${secret.API_KEY}` → API_KEY, `${db.url}` → DB_URL. */
function variableFor(part: string, attribute: string): string {
  const raw = part === "secret" ? attribute : `${part}_${attribute}`;
  return raw.replace(/[^A-Za-z0-9_]/g, "_").toUpperCase();
}

export const commandsRule: FileRule = {
  name: "commands",
  check: ({ file, environments }) => {
    const findings: Finding[] = [];
    for (const env of environments) {
      for (const { path, text, templated } of commands(env.file)) {
        const at = where(file, env.name, path);
        if (/[\r\n\0]/.test(text))
          findings.push({
            code: "run/line-break",
            message: `the command holds a ${text.includes("\0") ? "NUL character" : "line break"}`,
            path: at,
          });
        if (templated) continue;
        for (const ref of referencesInCommand(text)) {
          const variable = variableFor(ref.part, ref.attribute);
          findings.push({
            code: "run/reference",
            message: `${ref.text} at character ${ref.index + 1} of the command is not replaced: a command is run as written`,
            path: at,
            hint: `Pass it through the environment: \`env: { ${variable}: "${ref.text}" }\`, and read "$${variable}" in the command (or in the program).`,
          });
        }
      }
    }
    return findings;
  },
};
