/**
 * The editor JSON Schema and the Markdown reference, both produced from the one zod schema.
 * Pure: they return text; `scripts/write-schema.ts` writes it.
 */
import { z } from "zod";
import { stackFile } from "./stack.js";

type JsonSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  additionalProperties?: JsonSchema | boolean;
  pattern?: string;
  $ref?: string;
  title?: string;
  [key: string]: unknown;
};

export const SCHEMA_ID = "https://cairn.dev/schema/cairn.schema.json";

/** The JSON Schema (draft 2020-12) of a stack file, as stable text. */
/**
 * The stack file's JSON Schema. zod writes `startsWith` as a `format` no validator knows beside its
 * `pattern`; the pattern alone says it.
 */
function toJsonSchema(): JsonSchema {
  return z.toJSONSchema(stackFile, {
    target: "draft-2020-12",
    unrepresentable: "any",
    io: "input",
    override: (ctx) => {
      if (ctx.jsonSchema.format === "starts_with") delete ctx.jsonSchema.format;
    },
  }) as JsonSchema;
}

export function renderJsonSchema(): string {
  const schema = toJsonSchema();
  return `${JSON.stringify({ ...schema, $id: SCHEMA_ID }, null, 2)}\n`;
}

function typeOf(s: JsonSchema): string {
  if (s.title && ["duration", "size", "percentage", "value", "command"].includes(s.title)) return s.title;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  const options = s.anyOf ?? s.oneOf;
  if (options) return [...new Set(options.map(typeOf))].join(" \\| ");
  if (s.type === "array") return `list of ${s.items ? typeOf(s.items) : "any"}`;
  if (s.type === "object") return s.properties ? "map" : "map of name to …";
  return Array.isArray(s.type) ? s.type.join(" \\| ") : (s.type ?? "any");
}

function objectsIn(s: JsonSchema): JsonSchema[] {
  const options = s.anyOf ?? s.oneOf;
  if (options) return options.flatMap(objectsIn);
  if (s.type === "array" && s.items) return objectsIn(s.items);
  if (s.type === "object" && s.properties) return [s];
  if (s.type === "object" && typeof s.additionalProperties === "object") return objectsIn(s.additionalProperties);
  return [];
}

/** A Markdown table with aligned columns, so the file reads well as plain text too. */
function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/** The reference docs: one table per part of the file, in schema order. */
export function renderReference(): string {
  const root = toJsonSchema();
  const out: string[] = [
    "# Stack file reference",
    "",
    "Generated from Cairn's schema by `npm run schema`; do not edit by hand. Editors read the same schema",
    "from `schema/cairn.schema.json` (add `# yaml-language-server: $schema=<path>/cairn.schema.json` to a file).",
    "",
  ];
  const seen = new Set<JsonSchema>();
  const visit = (title: string, s: JsonSchema) => {
    if (seen.has(s) || !s.properties) return;
    seen.add(s);
    out.push(`## \`${title}\``, "");
    if (s.description) out.push(s.description, "");
    const rows = Object.entries(s.properties).map(([key, prop]) => [
      `\`${key}\``,
      typeOf(prop),
      s.required?.includes(key) ? "yes" : "",
      (prop.description ?? "").replace(/\|/g, "\\|"),
    ]);
    out.push(...table(["key", "type", "required", "description"], rows), "");
    for (const [key, prop] of Object.entries(s.properties)) {
      const children = objectsIn(prop);
      for (const child of children) {
        const tag = child.properties?.type?.const;
        const isMap = prop.type === "object" && !prop.properties;
        visit(`${title === "(top level)" ? "" : `${title}.`}${key}${isMap ? ".<name>" : ""}${tag ? ` (type: ${String(tag)})` : ""}`, child);
      }
    }
  };
  visit("(top level)", root);
  return `${out.join("\n").trimEnd()}\n`;
}
