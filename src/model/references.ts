/**
 * Parses `${...}` references inside values into template parts, and knows which attributes each
 * kind of part offers. Pure: unknown names come back as problems, never as exceptions.
 */
import type { ResourceType, Template, TemplatePart } from "./types.js";

/** Attributes each resource type offers to `${name.attr}`. */
export const resourceAttributes: Record<ResourceType, readonly string[]> = {
  postgres: ["url", "host", "port", "user", "password", "database"],
  redis: ["url", "host", "port"],
  bucket: ["name", "endpoint", "region", "url"],
  table: ["name", "endpoint", "region"],
  external: ["url"],
  static: ["url"],
};

export const serviceAttributes = ["url", "host", "port"] as const;
const VARIABLES = ["domain", "stack", "env", "edge.url", "run.date"] as const;

export interface Names {
  readonly services: ReadonlySet<string>;
  readonly resources: ReadonlyMap<string, ResourceType>;
}

export interface ReferenceProblem {
  readonly code: "ref/syntax" | "ref/unknown" | "ref/attribute";
  readonly message: string;
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;

/** Splits a value into text and references. */
export function parseTemplate(value: string | number | boolean, names: Names): { template: Template; problems: ReferenceProblem[] } {
  const text = String(value);
  const parts: TemplatePart[] = [];
  const problems: ReferenceProblem[] = [];
  let last = 0;
  const pushText = (t: string) => {
    if (!t) return;
    const previous = parts.at(-1);
    if (previous?.kind === "text") parts[parts.length - 1] = { kind: "text", text: previous.text + t };
    else parts.push({ kind: "text", text: t });
  };
  for (const match of text.matchAll(REFERENCE)) {
    pushText(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[0] === "$${") {
      pushText("${");
      continue;
    }
    if (match[1] === undefined) {
      problems.push({ code: "ref/syntax", message: `"${text}" opens a reference with \${ but never closes it` });
      pushText(match[0]);
      continue;
    }
    const reference = resolveReference(match[1].trim(), names);
    if ("problem" in reference) problems.push(reference.problem);
    else parts.push(reference.part);
  }
  pushText(text.slice(last));
  return { template: parts, problems };
}

function resolveReference(ref: string, names: Names): { part: TemplatePart } | { problem: ReferenceProblem } {
  if ((VARIABLES as readonly string[]).includes(ref)) return { part: { kind: "var", name: ref as (typeof VARIABLES)[number] } };
  const dot = ref.indexOf(".");
  if (dot <= 0 || dot === ref.length - 1) {
    return {
      problem: {
        code: "ref/syntax",
        message: `\${${ref}} is not a reference: expected \${part.attribute}, \${secret.NAME} or one of \${${VARIABLES.join("}, ${")}}`,
      },
    };
  }
  const head = ref.slice(0, dot);
  const attr = ref.slice(dot + 1);
  if (head === "secret") {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(attr)) return { problem: { code: "ref/syntax", message: `"${attr}" is not a secret name (letters, digits and _)` } };
    return { part: { kind: "secret", name: attr } };
  }
  const type = names.resources.get(head);
  if (type) {
    const attrs = resourceAttributes[type];
    if (!attrs.includes(attr)) return { problem: { code: "ref/attribute", message: `${type} "${head}" has no attribute "${attr}": use ${attrs.join(", ")}` } };
    return { part: { kind: "resource", name: head, attr } };
  }
  if (names.services.has(head)) {
    if (!(serviceAttributes as readonly string[]).includes(attr))
      return { problem: { code: "ref/attribute", message: `service "${head}" has no attribute "${attr}": use ${serviceAttributes.join(", ")}` } };
    return { part: { kind: "service", name: head, attr } };
  }
  return { problem: { code: "ref/unknown", message: `\${${ref}} refers to "${head}", which is not a declared service, resource or secret` } };
}

/** Names referenced by a template: resources and services it points to, and secrets. */
export function referencedNames(template: Template): { parts: string[]; secrets: string[] } {
  const parts: string[] = [];
  const secrets: string[] = [];
  for (const part of template) {
    if (part.kind === "resource" || part.kind === "service") parts.push(part.name);
    if (part.kind === "secret") secrets.push(part.name);
  }
  return { parts, secrets };
}

/** A template that is plain text. */
export function text(value: string): Template {
  return value === "" ? [] : [{ kind: "text", text: value }];
}

/** Renders a template with a function per reference kind; targets use this to write their own syntax. */
export function renderTemplate(template: Template, render: (part: Exclude<TemplatePart, { kind: "text" }>) => string): string {
  return template.map((part) => (part.kind === "text" ? part.text : render(part))).join("");
}
