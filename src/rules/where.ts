/**
 * Where a finding about an environment's view of the file belongs: at the environment's override
 * when the override wrote that value, else in the stack itself. So an error an override causes
 * points at the override's line.
 */
import type { Path } from "../diagnostics/types.js";
import type { StackFile } from "../schema/stack.js";

export function where(file: StackFile, envName: string, path: Path): Path {
  const env = file.environments?.[envName] as Record<string, unknown> | undefined;
  const [section, ...rest] = path;
  if (!env || typeof section !== "string" || env[section] === undefined) return path;
  // Lists replace the stack's own: any item of an overridden list is the override's.
  if (Array.isArray(env[section])) return ["environments", envName, ...path];
  let node: unknown = env[section];
  for (const key of rest) {
    if (node === null || typeof node !== "object" || !(String(key) in node)) return path;
    node = (node as Record<string, unknown>)[String(key)];
  }
  return ["environments", envName, ...path];
}
