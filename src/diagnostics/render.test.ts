import { describe, expect, it } from "vitest";
import { analyzeText } from "../test-support/index.js";
import { messages } from "./messages.js";
import { renderDiagnostic, summarize } from "./render.js";
import type { Diagnostic } from "./types.js";

const plain = { red: (s: string) => s, yellow: (s: string) => s, dim: (s: string) => s, bold: (s: string) => s, cyan: (s: string) => s };

function first(text: string): Diagnostic {
  const d = analyzeText(text).diagnostics[0];
  if (!d) throw new Error("no diagnostic");
  return d;
}

describe("renderDiagnostic", () => {
  it("shows place, code, message, the line and a caret under the offending value, then the hint", () => {
    const text = "name: s\nservices:\n  web: { run: x, port: 70000 }\n";
    expect(renderDiagnostic(first(text), text, "/virtual", plain)).toBe(
      [
        "cairn.yaml:3:24 error schema/value",
        "  must be at most 65535, got number 70000",
        "   3 |   web: { run: x, port: 70000 }",
        "     |                        ^^^^^",
        `  hint: ${messages["schema/value"].hint}`,
      ].join("\n"),
    );
  });

  it("marks the key of an unknown key and labels warnings", () => {
    const text = "name: s\nservics: {}\n";
    const rendered = renderDiagnostic(first(text), text, "/virtual", plain).split("\n");
    expect(rendered[2]).toBe("   2 | servics: {}");
    expect(rendered[3]).toBe("     | ^^^^^^^");
    const lint = "name: s\njobs:\n  j: { run: x }\n";
    expect(renderDiagnostic(first(lint), lint, "/virtual", plain)).toMatch(/^cairn\.yaml:3:3 warning lint\/job-no-timeout/);
  });

  it("lists the environments a finding was seen in", () => {
    const text = "name: s\nresources:\n  db: { type: postgres }\nenvironments:\n  a: { target: vm }\n  b: { target: aws }\n";
    expect(renderDiagnostic(first(text), text, "/virtual", plain).split("\n")[0]).toBe("cairn.yaml:3:3 warning lint/single-instance [a, b]");
  });

  it("shows no source line for a problem without a place", () => {
    const d: Diagnostic = { ...first("name: s\nservics: 1\n"), line: 0, column: 0, endLine: 0, endColumn: 0, file: "/virtual/missing.yaml" };
    expect(renderDiagnostic(d, null, "/virtual", plain).split("\n")).toHaveLength(3);
  });

  it("cuts a very long line around the column and keeps the caret under it", () => {
    const text = `name: s\nx: "${"a".repeat(500)}"\n`;
    const d: Diagnostic = { ...first(text), line: 2, column: 300, endLine: 2, endColumn: 303 };
    const [, , source, caret] = renderDiagnostic(d, text, "/virtual", plain).split("\n");
    expect(source?.length).toBeLessThan(140);
    expect(source).toMatch(/^ {3}2 \| …a+…$/);
    expect(caret?.indexOf("^")).toBeGreaterThan(0);
    expect(source?.[caret?.indexOf("^") ?? 0]).toBe("a");
  });

  it("uses colour functions when given", () => {
    const text = "name: s\nservics: {}\n";
    const red = { ...plain, red: (s: string) => `<r>${s}</r>` };
    expect(renderDiagnostic(first(text), text, "/virtual", red)).toContain("<r>error</r>");
  });
});

describe("rendering many diagnostics", () => {
  it("shows each one's own line, across texts rendered in turn (the line index follows the text)", () => {
    const a = "name: s\nservices:\n  a: { run: x, port: 3000 }\n  b: { run: x, port: 3000 }\n  c: { run: x, port: 3000 }\nenvironments:\n  e: { target: vm }\n";
    const b = "name: s\nservics: {}\n";
    const ds = analyzeText(a).diagnostics;
    expect(ds.map((d) => renderDiagnostic(d, a, "/virtual", plain).split("\n")[2])).toEqual([
      "   4 |   b: { run: x, port: 3000 }",
      "   5 |   c: { run: x, port: 3000 }",
    ]);
    expect(renderDiagnostic(first(b), b, "/virtual", plain).split("\n")[2]).toBe("   2 | servics: {}");
    expect(renderDiagnostic(ds[1] as Diagnostic, a, "/virtual", plain).split("\n")[2]).toBe("   5 |   c: { run: x, port: 3000 }");
    // A line past the end of the text: no source line, no caret.
    expect(renderDiagnostic({ ...(ds[0] as Diagnostic), line: 99, endLine: 99 }, a, "/virtual", plain).split("\n")).toHaveLength(3);
  });
});

describe("summarize", () => {
  it("counts errors and warnings with plurals", () => {
    const error = first("name: s\nservics: {}\n");
    const warning = first("name: s\njobs:\n  j: { run: x }\n");
    expect(summarize([error])).toBe("1 error, 0 warnings");
    expect(summarize([error, warning, warning])).toBe("1 error, 2 warnings");
  });
});
