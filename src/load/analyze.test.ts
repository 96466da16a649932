import { describe, expect, it } from "vitest";
import { analyzeText, codesOf } from "../test-support/index.js";
import { analyze } from "./analyze.js";

const warned = "name: s\njobs:\n  a: { run: x }\n  b: { run: x }\n";
const ignore = (entries: string) => `${warned}lint:\n  ignore:\n${entries}`;

describe("lint.ignore", () => {
  it("suppresses a finding everywhere, or only at one part", () => {
    expect(codesOf(warned)).toEqual(["lint/job-no-timeout", "lint/job-no-timeout"]);
    expect(codesOf(ignore("    - { rule: lint/job-no-timeout, reason: they are quick }\n"))).toEqual([]);
    const one = analyzeText(ignore("    - { rule: lint/job-no-timeout, at: jobs.a, reason: it is quick }\n")).diagnostics;
    expect(one.map((d) => [d.code, d.path.join(".")])).toEqual([["lint/job-no-timeout", "jobs.b"]]);
  });

  it("reports an entry that matches no finding, at the entry", () => {
    const ds = analyzeText(ignore("    - { rule: lint/job-no-timeout, reason: quick }\n    - { rule: lint/ssh-open, reason: not here }\n")).diagnostics;
    expect(ds.map((d) => [d.code, d.line, d.message])).toEqual([["lint/ignore-unknown", 8, "lint.ignore entry for lint/ssh-open matches no finding"]]);
    const at = analyzeText(ignore("    - { rule: lint/job-no-timeout, at: jobs.c, reason: gone }\n")).diagnostics;
    expect(at.map((d) => d.code)).toEqual(["lint/job-no-timeout", "lint/job-no-timeout", "lint/ignore-unknown"]);
  });

  it("does not suppress errors", () => {
    expect(codesOf("name: s\nservices:\n  a: { port: 1 }\nlint:\n  ignore:\n    - { rule: service/no-command, reason: no }\n")).toEqual(["service/no-command"]);
  });

  it("requires a reason", () => {
    expect(codesOf("name: s\nlint:\n  ignore:\n    - { rule: lint/ssh-open }\n")).toEqual(["schema/missing"]);
  });
});

describe("analyze", () => {
  it("resolves one stack per environment, in file order, when the file is clean", () => {
    const analysis = analyze("/x/cairn.yaml", "name: s\nenvironments:\n  local: {}\n  prod: { target: aws }\n");
    expect([...analysis.stacks.keys()]).toEqual(["local", "prod"]);
    expect(analysis.stacks.get("prod")?.environment.target).toBe("aws");
    expect(analysis.stacks.get("local")?.root).toBe("/x");
  });

  it("resolves `local` for a file without environments, and --env local on it", () => {
    expect([...analyze("/x/cairn.yaml", "name: s\n").stacks.keys()]).toEqual(["local"]);
    expect([...analyze("/x/cairn.yaml", "name: s\n", { env: "local" }).stacks.keys()]).toEqual(["local"]);
  });

  it("returns no stack when there are errors, and skips lint when asked", () => {
    expect(analyze("/x/cairn.yaml", "name: s\nservics: 1\n").stacks.size).toBe(0);
    expect(analyze("/x/cairn.yaml", warned, { lint: false }).diagnostics).toEqual([]);
  });

  it("reports a finding seen in several environments once, listing them", () => {
    const ds = analyzeText("name: s\njobs:\n  a: { run: x }\nenvironments:\n  one: {}\n  two: {}\n").diagnostics;
    expect(ds.map((d) => [d.code, d.environments])).toEqual([["lint/job-no-timeout", ["one", "two"]]]);
  });

  it("sorts diagnostics by place", () => {
    const ds = analyzeText("name: s\nzzz: 1\nservices:\n  b: { run: x, port: 70000 }\naaa: 2\n").diagnostics;
    expect(ds.map((d) => d.line)).toEqual([2, 4, 5]);
  });
});
