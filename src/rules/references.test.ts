import { describe, expect, it } from "vitest";
import { analyzeText, codesOf } from "../test-support/index.js";

const base = (env: string, extra = "") => `name: s
secrets: [KEY]
services:
  web:
    run: node web.js
    port: 3000
    env: { ${env} }
resources:
  db: { type: postgres, backups: 7d }
${extra}`;

describe("references rule", () => {
  it("accepts references to declared parts, attributes, secrets and variables", () => {
    expect(codesOf(base('A: "${db.url}", B: "${secret.KEY}", C: "${domain}", D: "${web.port}", E: "$${literal}"'))).not.toContain("ref/unknown");
    const codes = codesOf(base('A: "${db.url}", B: "${secret.KEY}", C: "${domain}", E: "$${literal}"'));
    expect(codes.filter((c) => !c.startsWith("lint/"))).toEqual([]);
  });

  it("reports an unknown part with its line and column", () => {
    const analysis = analyzeText(base('A: "${nope.url}"'));
    expect(analysis.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([["ref/unknown", 7, 15]]);
    expect(analysis.diagnostics[0]?.path).toEqual(["services", "web", "env", "A"]);
  });

  it("reports an unknown attribute and lists the right ones", () => {
    const [d] = analyzeText(base('A: "${db.urll}"')).diagnostics;
    expect(d?.code).toBe("ref/attribute");
    expect(d?.message).toContain("url, host, port, user, password, database");
  });

  it("reports malformed references: unclosed and without attribute", () => {
    expect(codesOf(base('A: "${db.url"'))).toEqual(["ref/syntax"]);
    expect(codesOf(base('A: "${db}"'))).toEqual(["ref/syntax"]);
    expect(codesOf(base('A: "${secret.bad-name}"'))).toEqual(["ref/syntax"]);
  });

  it("reports a secret used but not declared", () => {
    expect(codesOf(base('A: "${secret.OTHER}"'))).toEqual(["secret/undeclared"]);
  });

  it("reports ${run.date} outside job args, and accepts it inside", () => {
    expect(codesOf(base('A: "${run.date}"'))).toEqual(["ref/context"]);
    const job = 'jobs:\n  nightly: { run: x, timeout: 5m, args: ["${run.date}"] }\n';
    expect(codesOf(base('A: "${db.url}"', job)).filter((c) => !c.startsWith("lint/"))).toEqual([]);
  });

  it("checks references in external urls and static build variables", () => {
    const extra = "jobs: {}\n";
    const text = `${base('A: "1"')}  ext: { type: external, url: "\${secret.MISSING}" }\n  site: { type: static, dir: dist, env: { API: "\${api.url}" } }\n${extra}`;
    expect(codesOf(text)).toEqual(["secret/undeclared", "ref/unknown"]);
  });

  it("checks the values an environment's override brings, at the override's line", () => {
    const text = `${base('A: "${db.url}"')}environments:\n  local: {}\n  prod:\n    services:\n      web: { env: { B: "\${nope.url}", C: "\${secret.OTHER}" } }\n`;
    expect(analyzeText(text).diagnostics.map((d) => [d.code, d.line, d.path.slice(0, 2).join(".")])).toEqual([
      ["ref/unknown", 14, "environments.prod"],
      ["secret/undeclared", 14, "environments.prod"],
    ]);
  });

  it("reports a problem of the stack itself once, however many environments see it", () => {
    const text = `${base('A: "${nope.url}"')}environments:\n  local: {}\n  prod: {}\n  staging: {}\n`;
    expect(codesOf(text)).toEqual(["ref/unknown"]);
  });
});
