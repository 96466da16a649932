/**
 * The values a deploy sends to a host's root-only secrets file: each secret and given value of the
 * plan, from the deployer's environment first, then the `.env` beside the stack file. Values are
 * never printed; a missing one is named with where to set it.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDotEnv } from "../runtime/env/dotenv.js";
import type { StoreKey } from "../targets/vm/env.js";

export interface DeploySecrets {
  /** Lines `NAME='value'` for the host's secrets file. */
  readonly file: string;
  readonly missing: readonly StoreKey[];
  /** Keys whose value has a line break, which the secrets file cannot carry. */
  readonly multiline: readonly string[];
  /** The values, to check that none leaks into output. */
  readonly values: readonly string[];
}

/** A value in single quotes for the shell. */
export function singleQuoted(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function collectSecrets(keys: readonly StoreKey[], root: string, env: Readonly<Record<string, string | undefined>>): DeploySecrets {
  const dotenvPath = join(root, ".env");
  const dotenv = existsSync(dotenvPath) ? parseDotEnv(readFileSync(dotenvPath, "utf8")).values : new Map<string, string>();
  const lines: string[] = [];
  const missing: StoreKey[] = [];
  const multiline: string[] = [];
  const values: string[] = [];
  for (const key of keys) {
    if (key.kind === "generated") continue;
    const value = env[key.name] ?? dotenv.get(key.name);
    if (value === undefined || value === "") {
      if (!key.optional) missing.push(key);
      continue;
    }
    if (/[\r\n\0]/.test(value)) {
      multiline.push(key.name);
      continue;
    }
    values.push(value);
    lines.push(`${key.name}=${singleQuoted(value)}`);
  }
  return { file: lines.length ? `${lines.join("\n")}\n` : "", missing, multiline, values };
}
