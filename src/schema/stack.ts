/**
 * The whole stack file schema. One source: it validates files, produces the editor JSON Schema
 * (`schema/cairn.schema.json`) and the reference docs (`docs/reference.md`).
 */
import { z } from "zod";
import { deploy } from "./deploy.js";
import { alarm, edge, logs, route, secrets } from "./edge.js";
import { environment, extraCost, usage } from "./environment.js";
import { resource } from "./resource.js";
import { job, service } from "./service.js";

export const lintIgnore = z.strictObject({
  rule: z.string().meta({ description: "Code of the finding to suppress, such as lint/single-instance." }),
  at: z.string().optional().meta({ description: "Only at this part, such as resources.db." }),
  reason: z.string().min(1).meta({ description: "Why it is acceptable here." }),
});

export const stackFile = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "Path or URL of the JSON Schema, for editors." }),
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,39}$/, "must be lower-case letters, digits and dashes, starting with a letter")
      .meta({ description: "Stack name: lower-case letters, digits and dashes." }),
    description: z.string().optional().meta({ description: "What the stack is." }),
    region: z.string().optional().meta({ description: "Default cloud region (default us-east-1)." }),
    domain: z.string().optional().meta({ description: "Public domain; `{domain}` in route hosts." }),
    services: z.record(z.string(), service).optional().meta({ description: "Long-running processes by name." }),
    jobs: z.record(z.string(), job).optional().meta({ description: "Scheduled or on-demand batch processes by name." }),
    resources: z.record(z.string(), resource).optional().meta({ description: "Data stores, buckets, tables, external services and static sites by name." }),
    routes: z.array(route).optional().meta({ description: "Host and path rules from the edge to services." }),
    edge: edge.optional().meta({ description: "The public side: port, TLS, limits, firewall." }),
    secrets: secrets.optional(),
    alarms: z.array(alarm).optional().meta({ description: "Alarms such as `cpu > 80% for 5m`." }),
    logs: logs.optional().meta({ description: "Where logs go and how long they are kept." }),
    usage: usage.optional(),
    environments: z
      .record(z.string(), environment)
      .optional()
      .meta({ description: "Phases (local, mvp, production...): target, region, sizes and overrides." }),
    deploy: deploy.optional(),
    extra_costs: z.array(extraCost).optional().meta({ description: "Monthly costs outside the cloud bill (a CDN plan, a monitoring SaaS)." }),
    lint: z
      .strictObject({ ignore: z.array(lintIgnore).optional() })
      .optional()
      .meta({ description: "Lint findings accepted on purpose, each with its reason." }),
  })
  .meta({ title: "Cairn stack file", description: "One file that describes an application's whole architecture." });

export type StackFile = z.infer<typeof stackFile>;
export type ServiceInput = z.infer<typeof service>;
export type JobInput = z.infer<typeof job>;
export type ResourceInput = z.infer<typeof resource>;
export type EnvironmentInput = z.infer<typeof environment>;
