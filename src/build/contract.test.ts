/**
 * The contract every target follows, run on every registered target and every environment of
 * every example: deterministic output, every process present, no secret value in clear, every
 * dependency edge present in some form, and no path outside the output folder.
 */
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import type { Stack } from "../model/types.js";
import { envName } from "../model/variables.js";
import type { TargetOutput } from "../targets/types.js";
import { exampleNames, loadExample } from "../test-support/index.js";
import { loadTargets } from "./registry.js";

/** A unique value per secret, as a developer's `.env` would give it to `cairn up`. */
const secretValue = (stack: Stack, name: string) => `TEST-${stack.name}-${name}-5f0c9e27a1d84b3c`;

const cases: { example: string; env: string; stack: Stack }[] = [];
for (const example of exampleNames) {
  for (const [env, stack] of await loadExample(example)) cases.push({ example, env, stack });
}
// The values sit in the environment, where `cairn up` reads them: a generator that looked there
// (or anywhere else) and copied one into a file would be caught below.
for (const { stack } of cases) for (const s of stack.secrets) process.env[s.name] = secretValue(stack, s.name);
const registered = await loadTargets();

function mentions(output: TargetOutput, text: string): boolean {
  return output.files.some((f) => f.path.includes(text) || f.content.includes(text));
}

describe.each(registered.map((t) => [t.name, t] as const))("target %s", (_name, target) => {
  describe.each(cases.map((c) => [`${c.example}/${c.env}`, c] as const))("%s", (_label, { stack }) => {
    const output = target.generate(stack, { outDir: `out/${stack.environment.name}-${target.name}` });
    const usable = output.errors.length === 0;

    it("reports problems with a part, a message and what to do", () => {
      for (const note of [...output.warnings, ...output.errors]) {
        expect(note.part).not.toBe("");
        expect(note.message).not.toBe("");
        expect(note.instead).not.toBe("");
      }
      if (stack.environment.target === target.name) expect(output.errors).toEqual([]);
    });

    it("is deterministic", () => {
      const again = target.generate(stack, { outDir: `out/${stack.environment.name}-${target.name}` });
      expect(JSON.stringify(again)).toBe(JSON.stringify(output));
    });

    it("writes only inside the output folder, each path once", () => {
      const paths = output.files.map((f) => f.path);
      expect(new Set(paths).size).toBe(paths.length);
      for (const path of paths) {
        expect(path).not.toMatch(/\\|^\/|^[A-Za-z]:/);
        const normal = posix.normalize(path);
        expect(normal === path && normal !== "." && !normal.startsWith("../") && normal !== "..").toBe(true);
      }
    });

    it("gives every service and job (or reports errors)", () => {
      if (!usable) return void expect(output.errors.length).toBeGreaterThan(0);
      for (const process of [...stack.services, ...stack.jobs]) expect(mentions(output, process.name), process.name).toBe(true);
    });

    it("never writes a secret's value", () => {
      const values = stack.secrets.map((s) => secretValue(stack, s.name));
      for (const file of output.files) for (const value of values) expect(file.content.includes(value), `${file.path} holds ${value}`).toBe(false);
    });

    it("keeps every dependency edge (or reports errors)", () => {
      if (!usable) return void expect(output.errors.length).toBeGreaterThan(0);
      for (const process of [...stack.services, ...stack.jobs]) {
        for (const dependency of process.dependsOn) {
          const found = output.files.some(
            (f) =>
              (f.path.includes(process.name) || f.content.includes(process.name)) &&
              (f.content.includes(dependency) || f.content.includes(envName(dependency))),
          );
          expect(found, `${process.name} -> ${dependency}`).toBe(true);
        }
      }
    });
  });
});
