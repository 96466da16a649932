/**
 * Renders Templates for containers. A reference to a secret (or to a value only a secret can hold,
 * such as a managed database's URL) becomes a helper variable read from the stack's Secret with
 * `secretKeyRef`, and the value uses Kubernetes' `$(VAR)` expansion, so no secret value is ever
 * written and composite values (`postgres://user:$(PW)@db:5432/app`) still work.
 */

import type { Process, Resource, Stack, Template, TemplatePart } from "../../model/types.js";
import { envName } from "../../model/variables.js";
import { edgeUrl } from "../common/edge.js";
import type { TargetNote } from "../types.js";
import { k8sName, secretName } from "./names.js";

export interface EnvVarSpec {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
}

/** Keys the user must put in the Secret, with what each holds (for the README). */
export type SecretKeys = Map<string, string>;

/** True when a resource runs inside the cluster (a StatefulSet Cairn generates). */
export function inCluster(resource: Resource): boolean {
  return (resource.type === "postgres" || resource.type === "redis") && (resource.placement === "self" || resource.placement === "local");
}

export const PORTS = { postgres: 5432, redis: 6379 } as const;

/** Renders the Templates of one process, collecting the helper variables and secret keys it needs. */
export class EnvRenderer {
  private readonly helpers = new Map<string, string>();

  constructor(
    private readonly stack: Stack,
    private readonly process: Process,
    private readonly keys: SecretKeys,
    private readonly warnings: TargetNote[],
  ) {}

  /** Secret-backed helper variable; returns `$(NAME)` to use inside other values. */
  private secret(key: string, holds: string): string {
    if (!this.keys.has(key)) this.keys.set(key, holds);
    const helper = `CAIRN_SECRET_${key}`;
    this.helpers.set(helper, key);
    return `$(${helper})`;
  }

  private timezone(): string {
    return this.process.kind === "job" ? this.process.timezone : "UTC";
  }

  /** A template as a string for env values or args (`shell`: also inside `sh -c`). */
  render(template: Template, where: string, shell = false): string {
    return template.map((part) => (part.kind === "text" ? part.text.replaceAll("$(", "$$$$(") : this.part(part, where, shell))).join("");
  }

  private part(part: Exclude<TemplatePart, { kind: "text" }>, where: string, shell: boolean): string {
    const stack = this.stack;
    switch (part.kind) {
      case "secret": {
        const declared = stack.secrets.find((s) => s.name === part.name);
        return this.secret(part.name, declared?.description ?? `secret ${part.name}`);
      }
      case "var":
        if (part.name === "domain") return stack.environment.domain ?? "";
        if (part.name === "stack") return stack.name;
        if (part.name === "env") return stack.environment.name;
        if (part.name === "edge.url") return edgeUrl(stack, "ingress");
        if (shell) return `"$$(TZ=${this.timezone()} date +%Y-%m-%d)"`;
        this.warnings.push({
          part: where,
          message: "${run.date} is only known when the job starts",
          instead: "an empty value; use it in `args` of a job with `run`",
        });
        return "";
      case "service": {
        const service = stack.services.find((s) => s.name === part.name);
        const host = k8sName(part.name);
        const port = String(service?.port ?? 80);
        return part.attr === "host" ? host : part.attr === "port" ? port : `http://${host}:${port}`;
      }
      case "resource": {
        const resource = stack.resources.find((r) => r.name === part.name);
        return resource ? this.resource(resource, part.attr, where) : "";
      }
    }
  }

  private resource(resource: Resource, attr: string, where: string): string {
    const stack = this.stack;
    const base = envName(resource.name);
    switch (resource.type) {
      case "postgres":
      case "redis": {
        if (!inCluster(resource)) return this.secret(`${base}_${envName(attr)}`, `${attr} of the ${resource.placement} ${resource.type} "${resource.name}"`);
        const host = k8sName(resource.name);
        const port = String(PORTS[resource.type]);
        if (resource.type === "redis") return attr === "host" ? host : attr === "port" ? port : `redis://${host}:${port}`;
        const password = () => this.secret(`${base}_PASSWORD`, `password of the in-cluster postgres "${resource.name}" (choose one)`);
        if (attr === "host") return host;
        if (attr === "port") return port;
        if (attr === "user") return "postgres";
        if (attr === "database") return resource.database;
        if (attr === "password") return password();
        return `postgres://postgres:${password()}@${host}:${port}/${resource.database}`;
      }
      case "bucket":
      case "table": {
        const name = resource.physicalName;
        if (attr === "name") return name;
        if (attr === "region") return stack.environment.region;
        if (attr === "url") return `https://${name}.s3.${stack.environment.region}.amazonaws.com`;
        return "";
      }
      case "external":
        return this.render(resource.url, where);
      case "static":
        return `${edgeUrl(stack, "ingress")}${resource.path === "/" ? "" : resource.path}`;
    }
  }

  private readonly usedElsewhere: string[] = [];

  /** Records text used in the command or args, so `env()` defines the helpers it needs. */
  markUsed(text: string): string {
    this.usedElsewhere.push(text);
    return text;
  }

  /** The container's env: helper variables first (Kubernetes expands `$(VAR)` from earlier ones), then the process's own. */
  env(): EnvVarSpec[] {
    const own: EnvVarSpec[] = [];
    for (const variable of this.process.env) {
      const value = this.render(variable.value, `${this.process.kind}s.${this.process.name}.env.${variable.name}`);
      const whole = /^\$\((CAIRN_SECRET_[A-Za-z0-9_]+)\)$/.exec(value)?.[1];
      const key = whole ? this.helpers.get(whole) : undefined;
      own.push(key ? { name: variable.name, valueFrom: { secretKeyRef: { name: secretName(this.stack), key } } } : { name: variable.name, value });
    }
    const names = new Set(own.map((v) => v.name));
    if (!names.has("CAIRN_ENV")) own.push({ name: "CAIRN_ENV", value: this.stack.environment.name });
    if (!names.has("CAIRN_STACK")) own.push({ name: "CAIRN_STACK", value: this.stack.name });
    if (this.process.kind === "service") {
      // The same process variables as locally: the port to listen on, on every interface of the pod.
      if (this.process.port !== null && !names.has("PORT")) own.push({ name: "PORT", value: String(this.process.port) });
      if (!names.has("HOST")) own.push({ name: "HOST", value: "0.0.0.0" });
      if (this.process.basePath && !names.has("BASE_PATH")) own.push({ name: "BASE_PATH", value: this.process.basePath.path });
    }
    own.sort((a, b) => (a.name < b.name ? -1 : 1));
    const text = [...own.map((v) => v.value ?? ""), ...this.usedElsewhere].join("\n");
    const helpers = [...this.helpers]
      .filter(([helper]) => text.includes(`$(${helper})`))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, key]) => ({ name, valueFrom: { secretKeyRef: { name: secretName(this.stack), key } } }));
    return [...helpers, ...own];
  }
}
