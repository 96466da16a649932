import { describe, expect, it } from "vitest";
import { analyzeText, codesOf, stackFrom } from "../test-support/index.js";
import { bucketNameProblem, tableNameProblem } from "./physical-names.js";

describe("physical names of buckets and tables", () => {
  it("uses name: in the model, else <stack>-<env>-<resource>", () => {
    const stack = stackFrom(
      "name: cityflow\nresources:\n  reports: { type: bucket, name: cityflow-reports-paris }\n  raw: { type: bucket }\n  metrics: { type: table, name: cityflow-metrics, key: { hash: k } }\n",
    );
    const names = Object.fromEntries(stack.resources.map((r) => [r.name, "physicalName" in r ? r.physicalName : null]));
    expect(names).toEqual({ reports: "cityflow-reports-paris", raw: "cityflow-local-raw", metrics: "cityflow-metrics" });
  });

  it("reports a given name S3 would refuse at the name's value", () => {
    const [d] = analyzeText("name: s\nresources:\n  files: { type: bucket, name: My_Bucket }\n").diagnostics;
    expect([d?.code, d?.line, d?.path.join(".")]).toEqual(["resource/name", 3, "resources.files.name"]);
    expect(d?.message).toContain('bucket name "My_Bucket" of "files" must be lower-case letters');
  });

  it("reports a derived name that is too long at the resource, and says how to choose one", () => {
    const [d] = analyzeText("name: a-very-long-stack-name-for-a-bucket-test\nresources:\n  abcdefghijklmnop-qrs: { type: bucket }\n").diagnostics;
    expect(d?.code).toBe("resource/name");
    expect(d?.path.join(".")).toBe("resources.abcdefghijklmnop-qrs");
    expect(d?.message).toContain("set `name:` to choose one");
  });

  it("reports two buckets with one name, and an environment's override at its own line", () => {
    expect(codesOf("name: s\nresources:\n  a: { type: bucket, name: shared-name }\n  b: { type: bucket, name: shared-name }\n")).toEqual(["resource/name"]);
    // A bucket and a table may share a name: they live in different services.
    expect(codesOf("name: s\nresources:\n  a: { type: bucket, name: same-name }\n  b: { type: table, name: same-name, key: { hash: k } }\n")).toEqual([]);
    const text = "name: s\nresources:\n  a: { type: bucket }\nenvironments:\n  prod:\n    target: aws\n    resources:\n      a: { name: Bad }\n";
    const [d] = analyzeText(text).diagnostics;
    expect([d?.code, d?.line]).toEqual(["resource/name", 8]);
  });

  it("knows S3's and DynamoDB's naming rules", () => {
    expect(["ab", "a".repeat(64), "-abc", "abc-", "a..b", "192.168.1.1", "xn--abc", "abc-s3alias"].map((n) => bucketNameProblem(n) !== null)).toEqual(
      Array(8).fill(true),
    );
    expect(["abc", "cityflow-reports-paris", "a.b-c", "a".repeat(63)].map(bucketNameProblem)).toEqual([null, null, null, null]);
    expect(["ab", "a b", "a/b", "x".repeat(256)].map((n) => tableNameProblem(n) !== null)).toEqual([true, true, true, true]);
    expect(["cityflow-metrics", "My_Table.v2"].map(tableNameProblem)).toEqual([null, null]);
  });
});
