/**
 * From stack-file text to resolved stacks and diagnostics: parse (positions kept), validate
 * (schema), check (file rules), resolve (one Stack per environment), lint (warnings). Pure; never
 * throws on user input; every problem is collected.
 */
import { dirname } from "node:path";
import type { Diagnostic, Finding } from "../diagnostics/types.js";
import { applyEnvironment } from "../model/merge.js";
import { namesOf, resolveStack } from "../model/resolve.js";
import type { Stack } from "../model/types.js";
import { fileRules, lintRules, stacksLintRules } from "../rules/index.js";
import type { StackFile } from "../schema/stack.js";
import { validateStackFile } from "../schema/validate.js";
import { makeDiagnostic, parseSource, type SourceFile } from "./source.js";

export interface Analysis {
  readonly file: string;
  readonly source: SourceFile | null;
  readonly input: StackFile | null;
  /** One resolved stack per environment, in file order; empty when there are errors. */
  readonly stacks: ReadonlyMap<string, Stack>;
  readonly diagnostics: readonly Diagnostic[];
}

export interface AnalyzeOptions {
  /** Only this environment (default: every one). */
  readonly env?: string | undefined;
  /** Run lint rules (default true). */
  readonly lint?: boolean;
}

function key(f: Finding): string {
  return `${f.code}\u0000${f.path.join("\u0000")}\u0000${f.message.replace(/ \(environment [^)]*\)$/, "")}`;
}

/** Collects findings from several environments into one diagnostic each, listing where they were found. */
function collect(source: SourceFile, found: { finding: Finding; env: string | null }[]): Diagnostic[] {
  const merged = new Map<string, { finding: Finding; envs: string[] }>();
  for (const { finding, env } of found) {
    const entry = merged.get(key(finding)) ?? { finding, envs: [] };
    if (env && !entry.envs.includes(env)) entry.envs.push(env);
    merged.set(key(finding), entry);
  }
  const diagnostics = [...merged.values()].map(({ finding, envs }) => makeDiagnostic(source, finding, null, envs));
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
}

function suppressed(finding: Finding, stack: Stack): boolean {
  const at = finding.path.join(".");
  return stack.lintIgnore.some((i) => i.rule === finding.code && (i.at === null || at === i.at || at.startsWith(`${i.at}.`)));
}

export function analyze(file: string, text: string, options: AnalyzeOptions = {}): Analysis {
  const parsed = parseSource(file, text);
  const { source } = parsed;
  const empty = { file, source, stacks: new Map<string, Stack>() };
  if (parsed.diagnostics.length) return { ...empty, input: null, diagnostics: parsed.diagnostics };
  const validated = validateStackFile(parsed.value);
  if (!validated.data)
    return {
      ...empty,
      input: null,
      diagnostics: collect(
        source,
        validated.findings.map((finding) => ({ finding, env: null })),
      ),
    };
  const input = validated.data;

  const all = Object.keys(input.environments ?? {});
  // `local` always exists: when no environment has that name, it is the file as written, run here.
  if (options.env !== undefined && !all.includes(options.env) && options.env !== "local") {
    const finding: Finding = {
      code: "env/unknown-part",
      message: `no environment "${options.env}"; the file declares ${all.length ? all.join(", ") : "none (only local)"}`,
      path: ["environments"],
      hint: "Pick one of the declared environments with --env.",
    };
    return { ...empty, input, diagnostics: collect(source, [{ finding, env: null }]) };
  }
  const names = options.env !== undefined ? [options.env] : all.length ? all : ["local"];
  const environments = names.map((name) => {
    const file = applyEnvironment(input, all.includes(name) ? name : null);
    return { name, file, names: namesOf(file) };
  });
  const context = { file: input, environments, names: namesOf(input) };
  const errors = fileRules.flatMap((rule) => rule.check(context).map((finding) => ({ finding, env: null })));
  if (errors.length) return { ...empty, input, diagnostics: collect(source, errors) };

  const stacks = new Map<string, Stack>();
  const location = { root: dirname(file), file };
  for (const name of names) stacks.set(name, resolveStack(input, all.includes(name) ? name : null, location));

  const warnings: { finding: Finding; env: string | null }[] = [];
  const used = new Set<number>();
  if (options.lint !== false) {
    for (const [name, stack] of stacks) {
      for (const rule of lintRules) {
        for (const finding of rule.check(stack)) {
          const index = stack.lintIgnore.findIndex((i) => i.rule === finding.code && suppressed(finding, { ...stack, lintIgnore: [i] }));
          if (index >= 0) used.add(index);
          else warnings.push({ finding, env: names.length > 1 ? name : null });
        }
      }
    }
    // Only when every environment is here: one alone cannot tell what the others do.
    const every = [...stacks.values()];
    const first = every[0];
    for (const rule of first && options.env === undefined ? stacksLintRules : []) {
      for (const finding of rule.check(every)) {
        const index = first ? first.lintIgnore.findIndex((i) => i.rule === finding.code && suppressed(finding, { ...first, lintIgnore: [i] })) : -1;
        if (index >= 0) used.add(index);
        else warnings.push({ finding, env: null });
      }
    }
    for (const [i, ignore] of (input.lint?.ignore ?? []).entries()) {
      if (!used.has(i))
        warnings.push({
          finding: {
            code: "lint/ignore-unknown",
            message: `lint.ignore entry for ${ignore.rule}${ignore.at ? ` at ${ignore.at}` : ""} matches no finding`,
            path: ["lint", "ignore", i],
          },
          env: null,
        });
    }
  }
  return { ...empty, input, stacks, diagnostics: collect(source, warnings) };
}
