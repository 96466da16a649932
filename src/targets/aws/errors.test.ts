/** What the CDK rejects comes back as an error naming the stack, and nothing is written. */
import { describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { awsTarget } from "./index.js";

describe("aws target errors", () => {
  it("a value the CDK refuses (a bucket name ending in a dash) is an error, with no files", () => {
    // `cairn check` refuses such a name first (rules/physical-names); the model is edited here to reach
    // the CDK's own check, which guards whatever a future key lets through.
    const checked = stackFrom("name: s\nresources:\n  files: { type: bucket }\nenvironments:\n  prod: { target: aws }\n");
    const stack = { ...checked, resources: checked.resources.map((r) => (r.type === "bucket" ? { ...r, physicalName: "ends-in-a-dash-" } : r)) };
    const out = awsTarget.generate(stack, { outDir: "out/aws" });
    expect(out.files).toEqual([]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]?.part).toBe("stack");
    expect(out.errors[0]?.message).toMatch(/the CDK rejected the stack: .*[Bb]ucket name/);
  });
});
