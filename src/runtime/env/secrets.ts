/**
 * Secrets for the local run. Looked up, in order, in the process environment, then in the `.env`
 * file beside the stack file. Secrets declared with `generate: true` and found in neither are
 * generated once and kept in `<state>/secrets.env` (mode 0600, under the gitignored `.cairn/`).
 * Values are never printed: messages name secrets, not their values.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { referencedNames } from "../../model/references.js";
import type { Stack, Template } from "../../model/types.js";
import { parseDotEnv } from "./dotenv.js";

/** The file a user writes secrets into, beside the stack file. */
export const SECRETS_FILE = ".env";

export interface MissingSecret {
  readonly name: string;
  /** Processes and resources that need it. */
  readonly usedBy: readonly string[];
}

export interface Secrets {
  readonly values: ReadonlyMap<string, string>;
  readonly missing: readonly MissingSecret[];
  /** Absolute path of the `.env` file looked at (it may not exist). */
  readonly file: string;
  /** Line numbers of the `.env` file that could not be read. */
  readonly badLines: readonly number[];
}

/**
 * Every secret the stack's processes and resources reference, with who references it. A declared
 * secret nothing references is not needed (so `cairn run` of one job asks only for its own).
 */
export function secretUsers(stack: Stack): Map<string, Set<string>> {
  const users = new Map<string, Set<string>>();
  const add = (template: Template, user: string) => {
    for (const name of referencedNames(template).secrets) {
      const set = users.get(name) ?? new Set<string>();
      set.add(user);
      users.set(name, set);
    }
  };
  for (const process of [...stack.services, ...stack.jobs]) for (const variable of process.env) add(variable.value, process.name);
  for (const resource of stack.resources) {
    if (resource.type === "external") add(resource.url, resource.name);
    if (resource.type === "static") for (const variable of resource.buildEnv) add(variable.value, resource.name);
  }
  return users;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return null;
  }
}

/** Finds every secret the stack needs; generates and stores the `generate: true` ones. */
export async function loadSecrets(stack: Stack, environment: Readonly<Record<string, string | undefined>>, stateDir: string): Promise<Secrets> {
  const file = join(stack.root, SECRETS_FILE);
  const dotenv = parseDotEnv((await readText(file)) ?? "");
  const generatedFile = join(stateDir, "secrets.env");
  const generated = new Map(parseDotEnv((await readText(generatedFile)) ?? "").values);
  const declared = new Map(stack.secrets.map((s) => [s.name, s]));
  const values = new Map<string, string>();
  const missing: MissingSecret[] = [];
  let wrote = false;
  for (const [name, users] of [...secretUsers(stack)].sort(([a], [b]) => a.localeCompare(b))) {
    const value = environment[name] ?? dotenv.values.get(name) ?? generated.get(name);
    if (value !== undefined) {
      values.set(name, value);
      continue;
    }
    const secret = declared.get(name);
    if (secret?.generate) {
      const fresh = randomBytes(24).toString("base64url");
      generated.set(name, fresh);
      values.set(name, fresh);
      wrote = true;
    } else if (!secret?.optional) missing.push({ name, usedBy: [...users].sort() });
  }
  if (wrote) {
    await mkdir(stateDir, { recursive: true });
    const text = [...generated].map(([k, v]) => `${k}=${v}\n`).join("");
    await writeFile(generatedFile, text, { mode: 0o600 });
    await chmod(generatedFile, 0o600);
  }
  return { values, missing, file, badLines: dotenv.badLines };
}
