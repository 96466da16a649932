/** Helpers shared by tests: examples as models, inline stacks, and a CLI context that captures output. */
import { fileURLToPath } from "node:url";
import type { Context } from "../cli/context.js";
import { analyze } from "../load/analyze.js";
import { loadStack } from "../load/load.js";
import type { Stack } from "../model/types.js";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const exampleNames = ["minimal", "mangetamain", "cityflow", "harena", "forestguard"] as const;
export type ExampleName = (typeof exampleNames)[number];

export function examplePath(name: ExampleName): string {
  return `${repoRoot}examples/${name}/cairn.yaml`;
}

/** Every environment of an example, resolved; throws if the example has errors (a bug in the repo). */
export async function loadExample(name: ExampleName): Promise<Map<string, Stack>> {
  const analysis = await loadStack(examplePath(name), repoRoot);
  const errors = analysis.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(`example ${name} has errors: ${errors.map((e) => e.message).join("; ")}`);
  return new Map(analysis.stacks);
}

/** One environment of an example. */
export async function exampleStack(name: ExampleName, env?: string): Promise<Stack> {
  const stacks = await loadExample(name);
  const stack = env ? stacks.get(env) : stacks.values().next().value;
  if (!stack) throw new Error(`example ${name} has no environment ${env}`);
  return stack;
}

/** Analyzes inline YAML as if it were the file `/virtual/cairn.yaml`. */
export function analyzeText(text: string, env?: string) {
  return analyze("/virtual/cairn.yaml", text, { env });
}

/** Resolves inline YAML; throws with the diagnostics if it has errors. */
export function stackFrom(text: string, env?: string): Stack {
  const analysis = analyzeText(text, env);
  const errors = analysis.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((e) => `${e.code}: ${e.message}`).join("\n"));
  const stack = analysis.stacks.values().next().value;
  if (!stack) throw new Error("no stack");
  return stack;
}

/** Codes of the diagnostics of inline YAML, for rule tests. */
export function codesOf(text: string, env?: string): string[] {
  return analyzeText(text, env).diagnostics.map((d) => d.code);
}

/** The instant a captured context's clock shows unless told otherwise. */
export const FIXED_NOW = new Date("2026-11-21T12:00:00Z");

/** A CLI context whose output is captured, with a clock fixed at `now`. */
export function captureContext(
  cwd = repoRoot,
  env: Record<string, string | undefined> = {},
  now: Date = FIXED_NOW,
): Context & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    cwd,
    env,
    color: false,
    now: () => now,
    stdout: {
      write: (t) => {
        out += t;
      },
    },
    stderr: {
      write: (t) => {
        err += t;
      },
    },
    out: () => out,
    err: () => err,
  };
}
