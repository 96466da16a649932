import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isVariableName } from "../model/variable-names.js";
import { analyzeText, codesOf } from "../test-support/index.js";

describe("variables rule", () => {
  it("accepts names a shell accepts", () => {
    expect(codesOf("name: s\nservices:\n  a: { run: x, env: { API_KEY: v, _x1: v, a: v } }\n")).toEqual([]);
  });

  it("refuses `A B`, `1X` and `A=B` at the key, in services, jobs and static sites", () => {
    const text =
      'name: s\nservices:\n  a:\n    run: x\n    env:\n      "A B": c\n      1X: c\njobs:\n  j:\n    run: x\n    env: { "A=B": c }\n' +
      "resources:\n  site: { type: static, dir: public, env: { -X: v } }\n";
    const found = analyzeText(text).diagnostics.map((d) => [d.code, d.line, d.column, d.message]);
    expect(found).toEqual([
      ["env/variable-name", 6, 7, '"A B" is not a variable name'],
      ["env/variable-name", 7, 7, '"1X" is not a variable name'],
      ["env/variable-name", 11, 12, '"A=B" is not a variable name'],
      ["env/variable-name", 13, 45, '"-X" is not a variable name'],
    ]);
  });

  it("reports a bad name an environment's override brings, at the override", () => {
    const text = "name: s\nservices:\n  a: { run: x }\nenvironments:\n  local: {}\n  prod:\n    services: { a: { env: { 9lives: x } } }\n";
    expect(analyzeText(text).diagnostics.map((d) => [d.code, d.line])).toEqual([["env/variable-name", 7]]);
  });

  it("agrees with the shell's rule on any name (fuzz)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (name) => {
        expect(isVariableName(name)).toBe(/^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
        const codes = codesOf(`name: s\nservices:\n  a: { run: x, env: { ${JSON.stringify(name)}: v } }\n`);
        expect(codes.includes("env/variable-name")).toBe(!isVariableName(name));
      }),
      { numRuns: 300 },
    );
  });
});
