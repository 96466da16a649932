/**
 * A small YAML writer for generated documents (maps, lists, strings, numbers, booleans): block
 * style, keys in insertion order, strings quoted (JSON style, which YAML reads) unless plain is
 * unambiguous. Much faster than a general YAML library on thousand-service documents. Pure.
 */

type Value = string | number | boolean | null | undefined | readonly Value[] | { readonly [key: string]: Value };

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./@-]*(?::[A-Za-z0-9_./@-]+)*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

/** A scalar as YAML text. */
export function scalar(value: string | number | boolean | null): string {
  if (value === null) return "null";
  if (typeof value !== "string") return String(value);
  return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}

const key = (k: string) => (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k));

function isMap(value: Value): value is { readonly [key: string]: Value } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function emptyText(value: Value): string | null {
  if (Array.isArray(value) && value.length === 0) return "[]";
  if (isMap(value) && Object.keys(value).length === 0) return "{}";
  return null;
}

function write(value: Value, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      const empty = emptyText(item);
      if (empty !== null) out.push(`${indent}- ${empty}`);
      else if (Array.isArray(item) || isMap(item)) {
        const inner: string[] = [];
        write(item, `${indent}  `, inner);
        const first = inner[0] ?? "";
        out.push(`${indent}- ${first.slice(indent.length + 2)}`, ...inner.slice(1));
      } else out.push(`${indent}- ${scalar(item as string | number | boolean | null)}`);
    }
    return;
  }
  if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const empty = emptyText(v);
      if (empty !== null) out.push(`${indent}${key(k)}: ${empty}`);
      else if (Array.isArray(v) || isMap(v)) {
        out.push(`${indent}${key(k)}:`);
        write(v, `${indent}  `, out);
      } else out.push(`${indent}${key(k)}: ${scalar(v as string | number | boolean | null)}`);
    }
  }
}

/** The document as YAML text, ending with a newline. */
export function toYaml(document: { readonly [key: string]: Value }): string {
  const empty = emptyText(document);
  if (empty !== null) return `${empty}\n`;
  const out: string[] = [];
  write(document, "", out);
  return `${out.join("\n")}\n`;
}
