/**
 * A parsed stack file that keeps positions: finds the line and column of any path so that
 * every diagnostic can point at the exact place. Pure: text in, document out.
 */
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from "yaml";
import { messageFor } from "../diagnostics/messages.js";
import type { Diagnostic, Finding, Path } from "../diagnostics/types.js";

export interface Span {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface SourceFile {
  readonly file: string;
  readonly text: string;
  readonly document: Document.Parsed;
  readonly lines: LineCounter;
}

/** Parses YAML text; syntax errors become findings with positions. Never throws on user input. */
export function parseSource(file: string, text: string): { source: SourceFile; value: unknown; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  // Duplicate keys are found below in one pass: the parser's own check compares every pair of keys.
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, merge: true });
  const source: SourceFile = { file, text, document, lines };
  const diagnostics: Diagnostic[] = [];
  for (const error of document.errors) {
    const code = error.code === "DUPLICATE_KEY" ? "yaml/duplicate-key" : "yaml/syntax";
    const start = lines.linePos(error.pos[0]);
    const end = lines.linePos(Math.max(error.pos[1], error.pos[0]));
    const first = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? "YAML syntax error";
    // The parser runs out of stack on absurd nesting; say what the file did, not what the parser hit.
    const message = /call stack/i.test(first) ? "the document nests lists or maps too deeply to read" : first;
    diagnostics.push(makeDiagnostic(source, { code, message, path: [] }, { line: start.line, column: start.col, endLine: end.line, endColumn: end.col }));
  }
  if (diagnostics.length === 0) {
    for (const range of duplicateKeys(document)) {
      const start = lines.linePos(range[0]);
      const end = lines.linePos(range[1]);
      const span = { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
      diagnostics.push(makeDiagnostic(source, { code: "yaml/duplicate-key", message: "Map keys must be unique", path: [] }, span));
    }
  }
  let value: unknown = null;
  if (diagnostics.length === 0) {
    try {
      value = document.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      diagnostics.push(makeDiagnostic(source, { code: "yaml/syntax", message: (error as Error).message, path: [] }, null));
    }
  }
  return { source, value, diagnostics };
}

/** Source ranges of keys given a second time in the same map; linear in the number of keys. */
function duplicateKeys(document: Document.Parsed): [number, number][] {
  const found: [number, number][] = [];
  visit(document, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        // Only scalar keys can be equal; `<<` is a merge, not a key.
        if (!isScalar(pair.key) || pair.key.value === "<<") continue;
        const key = `${typeof pair.key.value}:${String(pair.key.value)}`;
        if (seen.has(key) && pair.key.range) found.push([pair.key.range[0], pair.key.range[1]]);
        seen.add(key);
      }
    },
  });
  return found;
}

type Child = { key: Node | null; value: Node | null };

/** Each map's children by key, built on first use so that locating many findings stays linear. */
const mapIndex = new WeakMap<object, Map<string, Child>>();

function childOf(node: unknown, key: string | number): Child | null {
  if (isMap(node)) {
    let index = mapIndex.get(node);
    if (!index) {
      index = new Map();
      for (const pair of node.items) {
        const k = String(isScalar(pair.key) ? pair.key.value : pair.key);
        // The first of duplicate keys wins, as a linear search would find it.
        if (!index.has(k)) index.set(k, { key: pair.key as Node, value: (pair.value as Node) ?? null });
      }
      mapIndex.set(node, index);
    }
    return index.get(String(key)) ?? null;
  }
  if (isSeq(node) && typeof key === "number") {
    const item = node.items[key];
    return item ? { key: null, value: (isPair(item) ? item.value : item) as Node } : null;
  }
  return null;
}

/** The span of the node at `path`, or of its nearest existing parent. */
export function locate(source: SourceFile, path: Path, onKey = false): Span {
  let node: unknown = source.document.contents;
  let keyNode: Node | null = null;
  let found: Node | null = (node as Node) ?? null;
  for (const part of path) {
    const child = childOf(node, part);
    if (!child) break;
    keyNode = child.key;
    node = child.value;
    found = onKey && child.key ? child.key : (child.value ?? child.key);
  }
  // A whole map or list spans many lines: point at its key instead.
  if (keyNode && path.length > 0 && (onKey || isMap(found) || isSeq(found))) found = keyNode;
  const range = found?.range;
  if (!range) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const start = source.lines.linePos(range[0]);
  const end = source.lines.linePos(range[1]);
  return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
}

/** Gives a finding its position, severity and default hint. */
export function makeDiagnostic(source: SourceFile | { file: string }, finding: Finding, span: Span | null, environments: readonly string[] = []): Diagnostic {
  const info = messageFor(finding.code);
  const at = span ?? ("document" in source ? locate(source, finding.path, finding.onKey) : { line: 0, column: 0, endLine: 0, endColumn: 0 });
  return {
    code: finding.code,
    severity: finding.severity ?? info.severity,
    message: finding.message,
    hint: finding.hint ?? info.hint,
    file: source.file,
    ...at,
    path: finding.path,
    environments,
  };
}
