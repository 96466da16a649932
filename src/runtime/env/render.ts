/**
 * Renders a process's environment for the local run: every template of the model turned into a
 * string from resource attributes, service addresses, secrets and stack variables. Pure.
 */
import { renderTemplate } from "../../model/references.js";
import type { Process, Stack, Template } from "../../model/types.js";
import { otelEnv } from "../telemetry/console-address.js";

/** Everything a template may point to, already known. */
export interface RenderInputs {
  readonly stack: Stack;
  /** Attributes of each started resource (`url`, `host`, ...), by resource name. */
  readonly resources: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Address of each service's first replica, by service name. */
  readonly services: ReadonlyMap<string, { readonly host: string; readonly port: number }>;
  readonly secrets: ReadonlyMap<string, string>;
  /** URL of the gateway, or null when the stack has no routes. */
  readonly edgeUrl: string | null;
  /** `${run.date}`: the date of a job run in the job's time zone (YYYY-MM-DD); only a job run has one. */
  readonly runDate?: string;
  /** Where processes send OpenTelemetry data (the console's address, see `consoleAddress`); none when absent. */
  readonly otlpEndpoint?: string | null;
}

/** A reference that has no value yet; the caller names it in its message. */
export interface Unresolved {
  readonly reference: string;
}

/** Renders one template; unresolved references are collected and rendered empty. */
export function renderValue(template: Template, inputs: RenderInputs, unresolved: Unresolved[] = []): string {
  return renderTemplate(template, (part) => {
    switch (part.kind) {
      case "resource": {
        const value = inputs.resources.get(part.name)?.[part.attr];
        if (value === undefined) unresolved.push({ reference: `${part.name}.${part.attr}` });
        return value ?? "";
      }
      case "service": {
        const address = inputs.services.get(part.name);
        if (!address) {
          unresolved.push({ reference: `${part.name}.${part.attr}` });
          return "";
        }
        if (part.attr === "host") return address.host;
        if (part.attr === "port") return String(address.port);
        return `http://${address.host}:${address.port}`;
      }
      case "secret": {
        const value = inputs.secrets.get(part.name);
        if (value === undefined) unresolved.push({ reference: `secret.${part.name}` });
        return value ?? "";
      }
      case "var": {
        const value = variable(part.name, inputs);
        if (value === undefined) unresolved.push({ reference: part.name });
        return value ?? "";
      }
    }
  });
}

function variable(name: "domain" | "stack" | "env" | "edge.url" | "run.date", inputs: RenderInputs): string | undefined {
  switch (name) {
    case "domain":
      return inputs.stack.environment.domain ?? "localhost";
    case "stack":
      return inputs.stack.name;
    case "env":
      return inputs.stack.environment.name;
    case "edge.url":
      return inputs.edgeUrl ?? "";
    case "run.date":
      return inputs.runDate;
  }
}

/**
 * The variables Cairn sets for a process (on top of the inherited environment): the model's
 * variables, `CAIRN_STACK`, `CAIRN_ENV`, for a service `PORT`, `HOST` and `BASE_PATH`, and with a
 * console `OTEL_EXPORTER_OTLP_ENDPOINT` and `OTEL_SERVICE_NAME` (a stack's own value of either wins).
 */
export function renderProcessEnv(process: Process, inputs: RenderInputs, port: number | null): { env: Record<string, string>; unresolved: Unresolved[] } {
  const unresolved: Unresolved[] = [];
  const env: Record<string, string> = { CAIRN_STACK: inputs.stack.name, CAIRN_ENV: inputs.stack.environment.name };
  if (process.kind === "service") {
    if (port !== null) env.PORT = String(port);
    env.HOST = "127.0.0.1";
    if (process.basePath) env.BASE_PATH = process.basePath.path;
  }
  if (inputs.otlpEndpoint) Object.assign(env, otelEnv(inputs.otlpEndpoint, process.name));
  for (const variable of process.env) env[variable.name] = renderValue(variable.value, inputs, unresolved);
  const distinct = [...new Set(unresolved.map((u) => u.reference))].map((reference) => ({ reference }));
  return { env, unresolved: distinct };
}

/** Renders a job's arguments (`${run.date}` becomes the scheduled date). */
export function renderArgs(args: readonly Template[], inputs: RenderInputs): string[] {
  return args.map((arg) => renderValue(arg, inputs));
}
