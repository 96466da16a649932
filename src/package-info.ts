/**
 * Cairn's own package.json, the one place its version and its pinned dependencies are written: the
 * CLI's `--version` and the generated CDK app (which must use the aws-cdk-lib Cairn synthesizes with)
 * read them here. src/ and dist/ sit at the same depth, so the path holds for both.
 */
import { readFileSync } from "node:fs";

interface PackageJson {
  readonly version: string;
  readonly dependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as PackageJson;

/** Cairn's version. */
export const VERSION = pkg.version;

/** The exact version Cairn pins for one of its dependencies. */
export function pinnedVersion(name: string): string {
  const version = pkg.dependencies[name] ?? pkg.devDependencies[name];
  if (!version) throw new Error(`${name} is not a dependency of Cairn`);
  return version;
}
