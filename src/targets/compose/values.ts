/**
 * Process variables in the compose file, with the same names as `cairn up`. Secrets and passwords
 * are compose interpolations (`${NAME:?...}`) read from the `.env` file beside the compose file,
 * never values. Pure.
 */

import type { Process, Resource, Stack, Template } from "../../model/types.js";
import { envName } from "../../model/variables.js";
import { edgeUrl } from "../common/edge.js";
import { resourceNamed, serviceNamed } from "../common/index-by-name.js";
import { renderTemplate } from "../common/template.js";

/** A name the `.env` file holds: a declared secret, a password to choose, or a URL of a managed service. */
export interface EnvKey {
  readonly name: string;
  readonly kind: "secret" | "password" | "given";
  readonly optional: boolean;
  readonly description: string;
}

/** Collects the `.env` keys rendered values refer to. */
export class EnvKeys {
  readonly keys = new Map<string, EnvKey>();
  ref(key: EnvKey): string {
    if (!this.keys.has(key.name)) this.keys.set(key.name, key);
    return key.optional ? `\${${key.name}:-}` : `\${${key.name}:?${key.name} is not set in .env}`;
  }
}

/** Host names of the data-store services. */
export const S3_SERVICE = "s3";
export const DYNAMODB_SERVICE = "dynamodb";
export const POSTGRES_USER = "cairn";

export function postgresPassword(keys: EnvKeys): string {
  return keys.ref({
    name: "POSTGRES_PASSWORD",
    kind: "password",
    optional: false,
    description: "password of the PostgreSQL user cairn (choose one: openssl rand -hex 24)",
  });
}

/** True when the data store runs in the compose project. */
export function inProject(resource: Resource): boolean {
  return resource.placement === "self" || resource.placement === "local";
}

function resourceValue(stack: Stack, resource: Resource, attr: string, keys: EnvKeys): string {
  const given = () =>
    keys.ref({
      name: `${envName(resource.name)}_${envName(attr)}`,
      kind: "given",
      optional: false,
      description: `${attr} of the managed ${resource.type} ${resource.name}`,
    });
  switch (resource.type) {
    case "postgres": {
      if (!inProject(resource)) return given();
      const password = postgresPassword(keys);
      const values: Record<string, string> = { host: resource.name, port: "5432", user: POSTGRES_USER, password, database: resource.database };
      return values[attr] ?? `postgres://${POSTGRES_USER}:${password}@${resource.name}:5432/${resource.database}`;
    }
    case "redis":
      if (!inProject(resource)) return given();
      return attr === "host" ? resource.name : attr === "port" ? "6379" : `redis://${resource.name}:6379`;
    case "bucket":
    case "table": {
      const name = resource.physicalName;
      const region = stack.environment.region;
      const local = inProject(resource);
      const endpoint = local ? (resource.type === "bucket" ? `http://${S3_SERVICE}:9000` : `http://${DYNAMODB_SERVICE}:8000`) : "";
      const url = local ? `http://${S3_SERVICE}:9000/${name}` : `https://${name}.s3.${region}.amazonaws.com`;
      const values: Record<string, string> = { name, endpoint, region, url };
      return values[attr] ?? "";
    }
    case "external":
      return renderCompose(stack, resource.url, keys);
    case "static":
      return `${edgeUrl(stack)}${resource.path === "/" ? "" : resource.path}`;
  }
}

/** A template as a compose value: `$` doubled in text, references filled or interpolated. */
export function renderCompose(stack: Stack, template: Template, keys: EnvKeys): string {
  return renderTemplate(template, {
    text: (t) => t.replace(/\$/g, "$$$$"),
    resource: (name, attr) => {
      const resource = resourceNamed(stack, name);
      return resource ? resourceValue(stack, resource, attr, keys) : "";
    },
    service: (name, attr) => {
      const port = serviceNamed(stack, name)?.port ?? 80;
      return attr === "host" ? name : attr === "port" ? String(port) : `http://${name}:${port}`;
    },
    secret: (name) => {
      const secret = stack.secrets.find((s) => s.name === name);
      return keys.ref({ name, kind: "secret", optional: secret?.optional ?? false, description: secret?.description ?? `secret ${name}` });
    },
    variable: (name) => {
      if (name === "domain") return stack.environment.domain ?? "localhost";
      if (name === "stack") return stack.name;
      if (name === "env") return stack.environment.name;
      if (name === "edge.url") return edgeUrl(stack);
      return "";
    },
  });
}

/** The environment of a process's container, sorted by name. */
export function processEnvironment(stack: Stack, process: Process, keys: EnvKeys): Record<string, string> {
  const env: Record<string, string> = { CAIRN_ENV: stack.environment.name, CAIRN_STACK: stack.name };
  if (process.kind === "service") {
    if (process.port !== null) env.PORT = String(process.port);
    env.HOST = "0.0.0.0";
    if (process.basePath) env.BASE_PATH = process.basePath.path;
  }
  for (const variable of process.env) env[variable.name] = renderCompose(stack, variable.value, keys);
  const local = process.uses.some((u) => {
    const r = resourceNamed(stack, u);
    return r !== undefined && (r.type === "bucket" || r.type === "table") && inProject(r);
  });
  if (local) {
    // The local S3 and DynamoDB services accept the credentials the project's .env gives them.
    env.AWS_ACCESS_KEY_ID = keys.ref({
      name: "STORE_ACCESS_KEY",
      kind: "password",
      optional: false,
      description: "access key of the local S3 and DynamoDB services (choose one)",
    });
    env.AWS_SECRET_ACCESS_KEY = keys.ref({
      name: "STORE_SECRET_KEY",
      kind: "password",
      optional: false,
      description: "secret key of the local S3 and DynamoDB services (choose one, 8+ characters)",
    });
  }
  return Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
}
