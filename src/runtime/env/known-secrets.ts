/**
 * The secret values a stack's folder holds, for verbs that read logs without running the stack
 * (`cairn logs`): the `.env` beside the stack file, the generated secrets, and the passwords generated for
 * the local stores. A log written before a value was known, or by an older Cairn, is redacted when shown.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { StatePaths } from "../stack-runner/state-dir.js";
import { parseDotEnv } from "./dotenv.js";
import { Redactor } from "./redact.js";
import { SECRETS_FILE } from "./secrets.js";

const read = (file: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
};

/** A redactor for every secret value found in the stack's folder and state folder. */
export function knownSecrets(root: string, paths: Pick<StatePaths, "dir">): Redactor {
  const redactor = new Redactor();
  for (const file of [join(root, SECRETS_FILE), join(paths.dir, "secrets.env")]) redactor.addAll(parseDotEnv(read(file) ?? "").values);
  const resources = join(paths.dir, "resources");
  let names: string[] = [];
  try {
    names = readdirSync(resources);
  } catch {
    names = [];
  }
  for (const name of names) {
    try {
      const stored = JSON.parse(read(join(resources, name, "credentials.json")) ?? "{}") as Record<string, unknown>;
      for (const value of Object.values(stored)) if (typeof value === "string") redactor.add(`${name}.url`, value);
    } catch {
      // not written by Cairn: nothing to learn from it
    }
  }
  return redactor;
}
