/**
 * Property: whatever a stack file holds, `analyze` returns stacks or diagnostics and never throws.
 * Mutations start from the examples, as text (cut, insert, delete, swap lines) and as parsed data
 * (delete keys, change types, insert keys, swap values between places).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { messages } from "../diagnostics/messages.js";
import { renderDiagnostic } from "../diagnostics/render.js";
import { exampleNames, examplePath } from "../test-support/index.js";
import { analyze } from "./analyze.js";

const texts = exampleNames.map((name) => readFileSync(examplePath(name), "utf8"));
const codes = new Set(Object.keys(messages));
/** CAIRN_PROPERTY_RUNS=10 multiplies the runs for a longer hunt. */
const runs = (n: number) => n * Number(process.env.CAIRN_PROPERTY_RUNS ?? 1);
const plain = { red: String, yellow: String, dim: String, bold: String, cyan: String };

/** Runs analyze and checks the contract; returns a description of what broke, or null. */
function verdict(text: string): string | null {
  const analysis = analyze("/virtual/cairn.yaml", text);
  const errors = analysis.diagnostics.filter((d) => d.severity === "error");
  if (analysis.stacks.size === 0 && errors.length === 0) return "neither stacks nor errors";
  if (analysis.stacks.size > 0 && errors.length > 0) return "stacks despite errors";
  for (const d of analysis.diagnostics) {
    if (!codes.has(d.code)) return `unknown code ${d.code}`;
    if (d.line < 1 || d.column < 1) return `${d.code} without a place`;
    if (!d.message) return `${d.code} without a message`;
    renderDiagnostic(d, text, "/virtual", plain);
  }
  for (const stack of analysis.stacks.values()) JSON.stringify(stack);
  return null;
}

// ---- text mutations
const printable = fc.string({ unit: fc.constantFrom(..."abz019 :-{}[],'\"#&*!|>%@`$\t\n\\\u00e9\u2603\uFEFF".split("")), maxLength: 8 });
const textMutation = fc.oneof(
  fc.record({ kind: fc.constant("cut" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: printable }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("swap-lines" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant("indent" as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);
type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function applyText(text: string, m: TextMutation): string {
  const at = (f: number) => Math.floor(f * text.length);
  switch (m.kind) {
    case "cut":
      return text.slice(0, at(m.at));
    case "insert":
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case "delete":
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case "swap-lines": {
      const lines = text.split("\n");
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b] ?? "", lines[a] ?? ""];
      return lines.join("\n");
    }
    case "indent": {
      const lines = text.split("\n");
      const i = m.line % lines.length;
      const line = lines[i] ?? "";
      lines[i] = m.by >= 0 ? " ".repeat(m.by) + line : line.replace(new RegExp(`^ {0,${-m.by}}`), "");
      return lines.join("\n");
    }
  }
}

// ---- data mutations
type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function get(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined), root);
}

function set(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = get(root, path.slice(0, -1));
  if (parent !== null && typeof parent === "object") (parent as Record<string | number, unknown>)[path.at(-1) as string | number] = value;
  return root;
}

function remove(root: unknown, path: Path): unknown {
  if (path.length === 0) return {};
  const parent = get(root, path.slice(0, -1));
  const key = path.at(-1) as string | number;
  if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
  else if (parent !== null && typeof parent === "object") delete (parent as Record<string, unknown>)[key];
  return root;
}

const keys = fc.oneof(
  fc.constantFrom(
    "name",
    "run",
    "port",
    "type",
    "env",
    "services",
    "routes",
    "to",
    "path",
    "scale",
    "min",
    "max",
    "schedule",
    "health",
    "replicas",
    "url",
    "null",
  ),
  fc.string({ maxLength: 10 }),
);
const values = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    "${db.url}",
    "${secret.X}",
    "${",
    "$${x}",
    "0 2 * * *",
    "daily at 25:00",
    "5m",
    "512Mi",
    "70%",
    "-1",
    "postgress",
    "/",
    "",
    "~",
    0,
    -1,
    65536,
    1e308,
    true,
    null,
  ),
);
const dataMutation = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("change" as const), pick: fc.nat(), value: values }),
  fc.record({ kind: fc.constant("insert" as const), pick: fc.nat(), key: keys, value: values }),
  fc.record({ kind: fc.constant("swap" as const), pick: fc.nat(), other: fc.nat() }),
);
type DataMutation = typeof dataMutation extends fc.Arbitrary<infer T> ? T : never;

function applyData(root: unknown, m: DataMutation): unknown {
  const all = paths(root);
  const path = all[m.pick % all.length] ?? [];
  switch (m.kind) {
    case "delete":
      return remove(root, path);
    case "change":
      return set(root, path, m.value);
    case "insert": {
      const target = get(root, path);
      if (target !== null && typeof target === "object" && !Array.isArray(target)) (target as Record<string, unknown>)[m.key] = m.value;
      else if (Array.isArray(target)) target.push(m.value);
      return root;
    }
    case "swap": {
      const other = all[m.other % all.length] ?? [];
      const a = structuredClone(get(root, path));
      const b = structuredClone(get(root, other));
      // Swapping a node with its own ancestor would nest it in itself; skip that case.
      if (path.join(".").startsWith(other.join(".")) || other.join(".").startsWith(path.join("."))) return root;
      return set(set(root, path, b), other, a);
    }
  }
}

const example = fc.nat({ max: texts.length - 1 });

describe("analyze on mutated stack files", () => {
  it("never throws on text mutations, and every diagnostic has a known code and a place", { timeout: 0 }, () => {
    fc.assert(
      fc.property(example, fc.array(textMutation, { minLength: 1, maxLength: 4 }), (i, mutations) => {
        const text = mutations.reduce(applyText, texts[i] ?? "");
        expect(verdict(text)).toBeNull();
      }),
      { numRuns: runs(1200) },
    );
  });

  it("never throws on data mutations (delete, change type, insert, swap), and every diagnostic has a known code and a place", { timeout: 0 }, () => {
    fc.assert(
      fc.property(example, fc.array(dataMutation, { minLength: 1, maxLength: 4 }), (i, mutations) => {
        const data = mutations.reduce(applyData, parse(texts[i] ?? ""));
        const text = stringify(data, { aliasDuplicateObjects: false });
        expect(verdict(text)).toBeNull();
      }),
      { numRuns: runs(800) },
    );
  });

  it("never throws on random bytes read as text", { timeout: 0 }, () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        expect(verdict(text.replace(/\0/g, ""))).toBeNull();
      }),
      { numRuns: runs(400) },
    );
  });
});
