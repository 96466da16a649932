/**
 * Renders a model `Template` for a target: each target says how it writes a reference (a resource's
 * attribute, a service's URL, a secret, a stack variable); literal text is kept as is.
 */
import type { Template, TemplatePart } from "../../model/types.js";

/** How one target writes each kind of reference. */
export interface PartRenderer {
  readonly text?: (text: string) => string;
  readonly resource: (name: string, attr: string) => string;
  readonly service: (name: string, attr: string) => string;
  readonly secret: (name: string) => string;
  readonly variable: (name: Extract<TemplatePart, { kind: "var" }>["name"]) => string;
}

/** The template as one string, references written by `renderer`. */
export function renderTemplate(template: Template, renderer: PartRenderer): string {
  let out = "";
  for (const part of template) {
    switch (part.kind) {
      case "text":
        out += renderer.text ? renderer.text(part.text) : part.text;
        break;
      case "resource":
        out += renderer.resource(part.name, part.attr);
        break;
      case "service":
        out += renderer.service(part.name, part.attr);
        break;
      case "secret":
        out += renderer.secret(part.name);
        break;
      case "var":
        out += renderer.variable(part.name);
        break;
    }
  }
  return out;
}

/** Names of the secrets a template references, in order, without repeats. */
export function secretsOf(template: Template): string[] {
  const names = template.flatMap((p) => (p.kind === "secret" ? [p.name] : []));
  return [...new Set(names)];
}

/** True when the template is literal text only. */
export function isLiteral(template: Template): boolean {
  return template.every((p) => p.kind === "text" || p.kind === "var");
}
