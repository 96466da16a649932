/**
 * File snapshots of every example's output for the vm and compose targets: each example's
 * environments of that target (the first environment when it has none), every file.
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Stack } from "../model/types.js";
import { composeTarget } from "../targets/compose/index.js";
import type { Target } from "../targets/types.js";
import { vmTarget } from "../targets/vm/index.js";
import { exampleNames, loadExample } from "../test-support/index.js";

const examples: [string, Stack[]][] = [];
for (const example of exampleNames) examples.push([example, [...(await loadExample(example)).values()]]);

describe.each([vmTarget, composeTarget].map((t) => [t.name, t] as [string, Target]))("%s snapshots", (name, target) => {
  for (const [example, stacks] of examples) {
    const own = stacks.filter((s) => s.environment.target === name);
    for (const stack of own.length ? own : stacks.slice(0, 1)) {
      it(`${example}/${stack.environment.name}`, async () => {
        const output = target.generate(stack, { outDir: `out/${stack.environment.name}-${name}` });
        const folder = `../targets/${name}/__snapshots__/${example}-${stack.environment.name}`;
        for (const file of output.files) await expect(file.content).toMatchFileSnapshot(`${folder}/${file.path}`);
        // A file the target no longer writes must not linger as a snapshot nobody checks.
        const kept = readdirSync(new URL(`${folder}/`, import.meta.url), { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => relative(fileURLToPath(new URL(`${folder}/`, import.meta.url)), join(e.parentPath, e.name)));
        expect(kept.sort()).toEqual(output.files.map((f) => f.path).sort());
      });
    }
  }
});
