/** What the CDK rejects comes back as an error naming the stack, and nothing is written. */
import { describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { awsTarget } from "./index.js";

describe("aws target errors", () => {
  it("a bucket name S3 would refuse (cut at 63 characters, ending in a dash) is an error, with no files", () => {
    const stack = stackFrom(`
name: a-very-long-stack-name-for-a-bucket-test
resources:
  abcdefghijklmnop-qrs: { type: bucket }
environments:
  prod: { target: aws }
`);
    const out = awsTarget.generate(stack, { outDir: "out/aws" });
    expect(out.files).toEqual([]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]?.part).toBe("stack");
    expect(out.errors[0]?.message).toMatch(/the CDK rejected the stack: .*[Bb]ucket name/);
  });
});
