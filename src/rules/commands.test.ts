import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { referencesInCommand } from "../model/variable-names.js";
import { analyzeText, codesOf } from "../test-support/index.js";

describe("commands rule", () => {
  it("accepts shell variables, $${ and one-line commands", () => {
    expect(codesOf('name: s\nservices:\n  a: { run: "node s.js --port ${PORT} $HOME $${x.y}" }\n')).toEqual([]);
    expect(codesOf("name: s\njobs:\n  j: { run: [node, a.js, '${HOME}'], timeout: 5m }\n")).toEqual([]);
  });

  it("refuses a line break in run, at the value; a folded block is one line", () => {
    const [d] = analyzeText('name: s\nservices:\n  a:\n    run: "node a.js\\n rm -rf /"\n').diagnostics;
    expect([d?.code, d?.line, d?.column, d?.message]).toEqual(["run/line-break", 4, 10, "the command holds a line break"]);
    expect(codesOf("name: s\nservices:\n  a:\n    run: |\n      node a.js\n      echo done\n")).toEqual(["run/line-break"]);
    expect(codesOf("name: s\nservices:\n  a:\n    run: >-\n      node a.js\n      --flag\n")).toEqual([]);
    expect(codesOf('name: s\njobs:\n  j: { run: [node, "a\\rb"] }\n')).toEqual(["run/line-break"]);
    expect(codesOf('name: s\njobs:\n  j: { run: node a.js, timeout: 1m, args: ["ok ${run.date}", "a\\nb"] }\n')).toEqual(["run/line-break"]);
    expect(codesOf('name: s\nresources:\n  site: { type: static, dir: public, build: "npm ci\\nnpm run build" }\n')).toEqual(["run/line-break"]);
  });

  it("refuses ${secret.X} in run with its place and a hint to read it from the environment", () => {
    const text = 'name: s\nsecrets: [TOKEN]\nservices:\n  a:\n    run: "curl -H ${secret.TOKEN} x"\n    env: { T: "${secret.TOKEN}" }\n';
    const [d, ...rest] = analyzeText(text).diagnostics;
    expect(rest).toEqual([]);
    expect([d?.code, d?.line, d?.column]).toEqual(["run/reference", 5, 10]);
    expect(d?.message).toBe("${secret.TOKEN} at character 9 of the command is not replaced: a command is run as written");
    expect(d?.hint).toBe('Pass it through the environment: `env: { TOKEN: "${secret.TOKEN}" }`, and read "$TOKEN" in the command (or in the program).');
    expect(codesOf("name: s\nresources:\n  db: { type: postgres }\njobs:\n  j: { run: [psql, '${db.url}'] }\n")).toEqual(["run/reference"]);
  });

  it("finds every reference in any command, and never throws (fuzz)", () => {
    const piece = fc.constantFrom("${secret.K}", "${db.url}", "$${a.b}", "${HOME}", "$", "{", "}", ".", " ", "x", "\n", '"', "'", "\\");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const command = parts.join("");
        const refs = referencesInCommand(command);
        for (const r of refs) expect(command.slice(r.index, r.index + r.text.length)).toBe(r.text);
        const codes = codesOf(`name: s\nsecrets: [K]\nresources:\n  db: { type: postgres }\nservices:\n  a: { run: ${JSON.stringify(command)} }\n`);
        if (command === "") return; // the schema refuses an empty command
        expect(codes.filter((c) => c === "run/reference")).toHaveLength(refs.length);
        expect(codes.includes("run/line-break")).toBe(command.includes("\n"));
      }),
      { numRuns: 300 },
    );
  });
});
