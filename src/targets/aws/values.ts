/**
 * Templates as ECS values. Text and references to things the app creates become plain variables
 * (CloudFormation joins them); a secret, or a database URL (which holds the password), becomes an
 * ECS secret read from Secrets Manager when the task starts. A value mixing text and a secret has no
 * ECS form: it becomes a secret of its own that the user fills in, with a warning.
 */

import type { Process, Resource, Stack, Template, TemplatePart } from "../../model/types.js";
import type { TargetNote } from "../types.js";
import type { PlanRef, PlanValue } from "./cdk/plan-types.js";

type Piece = string | PlanRef | Exclude<PlanValue, { kind: "text" }>;

/** Name of a user secret in Secrets Manager: `<stack>/<environment>/<NAME>`. */
export function secretPath(stack: Stack, name: string): string {
  return `${stack.name}/${stack.environment.name}/${name}`;
}

export function namespaceOf(stack: Stack): string {
  return `${stack.name}.internal`;
}

/** The public URL: the domain when there is one, else the load balancer's name (a reference). */
export function edgeUrlParts(stack: Stack): (string | PlanRef)[] {
  const scheme = stack.edge.tls.mode === "off" || !stack.environment.domain ? "http" : "https";
  return stack.environment.domain ? [`${scheme}://${stack.environment.domain}`] : ["http://", { ref: "edge", attr: "url" }];
}

function resourcePieces(stack: Stack, resource: Resource, attr: string, where: string, warnings: TargetNote[]): Piece[] {
  switch (resource.type) {
    case "postgres":
      if (attr === "url" || attr === "password") return [{ kind: "database-secret", database: resource.name, field: attr }];
      if (attr === "user") return ["postgres"];
      if (attr === "database") return [resource.database];
      return [{ ref: resource.name, attr: attr === "port" ? "port" : "host" }];
    case "redis":
      if (attr === "url") return ["redis://", { ref: resource.name, attr: "host" }, ":", { ref: resource.name, attr: "port" }];
      return [{ ref: resource.name, attr: attr === "port" ? "port" : "host" }];
    case "bucket":
    case "table": {
      const name = resource.physicalName;
      if (attr === "name") return [name];
      if (attr === "region") return [stack.environment.region];
      if (attr === "url") return [`https://${name}.s3.${stack.environment.region}.amazonaws.com`];
      return [""];
    }
    case "external":
      return templatePieces(stack, resource.url, where, warnings);
    case "static":
      return [...edgeUrlParts(stack), resource.path === "/" ? "" : resource.path];
  }
}

function partPieces(stack: Stack, part: TemplatePart, where: string, warnings: TargetNote[]): Piece[] {
  switch (part.kind) {
    case "text":
      return [part.text];
    case "secret":
      return [{ kind: "secret", name: secretPath(stack, part.name) }];
    case "var":
      if (part.name === "domain") return [stack.environment.domain ?? ""];
      if (part.name === "stack") return [stack.name];
      if (part.name === "env") return [stack.environment.name];
      if (part.name === "edge.url") return edgeUrlParts(stack);
      warnings.push({
        part: where,
        message: "${run.date} is only known when the task starts",
        instead: "an empty value; use it in `args` of a job with `run`",
      });
      return [""];
    case "service": {
      const service = stack.services.find((s) => s.name === part.name);
      const host = `${part.name}.${namespaceOf(stack)}`;
      const port = String(service?.port ?? 80);
      return [part.attr === "host" ? host : part.attr === "port" ? port : `http://${host}:${port}`];
    }
    case "resource": {
      const resource = stack.resources.find((r) => r.name === part.name);
      return resource ? resourcePieces(stack, resource, part.attr, where, warnings) : [""];
    }
  }
}

function templatePieces(stack: Stack, template: Template, where: string, warnings: TargetNote[]): Piece[] {
  return template.flatMap((part) => partPieces(stack, part, where, warnings));
}

/** One variable of a process as an ECS value. */
export function planValue(stack: Stack, process: Process, name: string, template: Template, warnings: TargetNote[]): PlanValue {
  const where = `${process.kind}s.${process.name}.env.${name}`;
  const pieces = templatePieces(stack, template, where, warnings).filter((p) => p !== "");
  const secrets = pieces.filter((p): p is Exclude<PlanValue, { kind: "text" }> => typeof p === "object" && "kind" in p);
  const only = pieces.length === 1 ? secrets[0] : undefined;
  if (only) return only;
  if (secrets.length) {
    const secret = secretPath(stack, name);
    warnings.push({
      part: where,
      message: "ECS cannot build a value from text and a secret",
      instead: `the whole value is read from the secret ${secret}, which you create`,
    });
    return { kind: "secret", name: secret };
  }
  const parts: (string | PlanRef)[] = [];
  for (const piece of pieces as (string | PlanRef)[]) {
    const last = parts[parts.length - 1];
    if (typeof piece === "string" && typeof last === "string") parts[parts.length - 1] = last + piece;
    else parts.push(piece);
  }
  return { kind: "text", parts };
}
