/** Values written in the file that look like secrets: credentials in URLs, key-shaped strings, secret-named variables. */
import type { Finding } from "../../diagnostics/types.js";
import type { Template } from "../../model/types.js";
import type { LintRule } from "../types.js";

const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)$/i;
const KEY_SHAPES = [
  /^AKIA[0-9A-Z]{16}$/,
  /^sk-[A-Za-z0-9_-]{20,}$/,
  /^gh[pousr]_[A-Za-z0-9]{30,}$/,
  /^xox[abpr]-[A-Za-z0-9-]{10,}$/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];
const URL_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:[^/@\s]+@/i;
const PLACEHOLDER = /^(changeme|change-me|xxx+|\*+|<.*>|example|dummy|test|local|dev|postgres|password)$/i;

/** Why a literal value looks secret, or null. */
export function looksSecret(name: string, template: Template): string | null {
  if (template.length !== 1 || template[0]?.kind !== "text") return null;
  const value = template[0].text;
  if (URL_CREDENTIALS.test(value)) return "a URL with a password in it";
  if (KEY_SHAPES.some((shape) => shape.test(value))) return "a value shaped like an access key";
  if (SECRET_NAME.test(name) && value.length >= 6 && !PLACEHOLDER.test(value)) return `a literal value for ${name}`;
  return null;
}

export const secretInClear: LintRule = {
  code: "lint/secret-in-clear",
  check: (stack) => {
    const findings: Finding[] = [];
    for (const proc of [...stack.services, ...stack.jobs]) {
      const section = proc.kind === "service" ? "services" : "jobs";
      for (const v of proc.env) {
        if (v.origin !== "file") continue;
        const why = looksSecret(v.name, v.value);
        if (why)
          findings.push({
            code: "lint/secret-in-clear",
            message: `${proc.name}: ${v.name} is ${why}`,
            path: [section, proc.name, "env", v.name],
            hint: `Declare a secret and write ${v.name}: \${secret.${v.name}}.`,
          });
      }
    }
    return findings;
  },
};
