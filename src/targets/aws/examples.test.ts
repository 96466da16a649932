/** Snapshots of what the aws target writes for each example (the shipped lib/ is checked against cdk/ elsewhere). */
import { describe, expect, it } from "vitest";
import type { Stack } from "../../model/types.js";
import { type ExampleName, exampleNames, loadExample } from "../../test-support/index.js";
import { awsTarget } from "./index.js";

/** The example's environment that targets AWS, else its last one. */
async function stackFor(name: ExampleName): Promise<Stack> {
  const stacks = [...(await loadExample(name)).values()];
  return (stacks.find((s) => s.environment.target === "aws") ?? stacks[stacks.length - 1]) as Stack;
}

describe("aws target on the examples", () => {
  it.each(exampleNames.map((n) => [n]))("snapshot of %s", async (name: ExampleName) => {
    const out = awsTarget.generate(await stackFor(name), { outDir: "out/aws" });
    expect(out.errors).toEqual([]);
    const files = out.files.filter((f) => !f.path.startsWith("lib/"));
    expect(Object.fromEntries(files.map((f) => [f.path, f.content]))).toMatchSnapshot();
    expect(out.warnings).toMatchSnapshot();
  });
});
