/** Schema of `environments.<name>`, `usage` and `extra_costs`: the phases of a stack and how each is hosted. */
import { z } from "zod";
import { BUILD_TARGETS, TARGET_NAMES } from "../model/targets.js";
import { deploy, hosts, ssh } from "./deploy.js";
import { size } from "./fields.js";

export const target = z.enum(TARGET_NAMES);

export const usage = z
  .strictObject({
    requests: z.number().min(0).optional().meta({ description: "Requests per month at the edge (default 1,000,000)." }),
    data_out: size.optional().meta({ description: "Data sent to the internet per month (default 10GB)." }),
    storage: size.optional().meta({ description: "Object storage held in buckets (default 5GB)." }),
    logs: size.optional().meta({ description: "Log volume ingested per month (default 5GB)." }),
    table_reads: z.number().min(0).optional().meta({ description: "Table read requests per month (default 1,000,000)." }),
    table_writes: z.number().min(0).optional().meta({ description: "Table write requests per month (default 100,000)." }),
    table_storage: size.optional().meta({ description: "Data held in tables (default 1GB)." }),
    cdn_out: size.optional().meta({ description: "Data served by the CDN per month (default: data_out)." }),
    hours: z.number().min(0).max(744).optional().meta({ description: "Hours the stack runs per month (default 730)." }),
  })
  .meta({ description: "Assumptions used for pricing." });

export const extraCost = z.strictObject({
  name: z.string(),
  monthly: z.number().min(0),
  currency: z.enum(["USD", "EUR"]).optional(),
  note: z.string().optional(),
});

/**
 * An environment picks a target, a place and sizes, and may override any part of the stack.
 * Overrides are validated against the same schemas as the stack (partially) after merging.
 */
export const environment = z.strictObject({
  description: z.string().optional(),
  target: target.optional().meta({ description: "Where this phase runs (default local)." }),
  region: z.string().optional(),
  domain: z.string().optional(),
  instance: z.string().optional().meta({ description: "Machine type for vm and k8s worker nodes (t3.medium)." }),
  instances: z.number().int().min(1).max(100).optional().meta({ description: "Number of machines (default 1)." }),
  disk: size.optional().meta({ description: "Disk per machine (default 20GB gp3)." }),
  nat: z.boolean().optional().meta({ description: "Tasks sit in private subnets behind a NAT gateway (aws; default true)." }),
  spot: z.boolean().optional(),
  compare: z.array(z.enum(BUILD_TARGETS)).optional().meta({ description: "Other hosting options to price this phase on." }),
  usage: usage.optional(),
  extra_costs: z.array(extraCost).optional(),
  services: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()).optional().meta({
    description:
      "Overrides per service, merged into the stack's: `name: null` removes the service from this environment, and `key: null` removes one key (`scale: null` with `replicas: 2` runs a fixed count where the stack autoscales).",
  }),
  jobs: z
    .record(z.string(), z.record(z.string(), z.unknown()).nullable())
    .optional()
    .meta({ description: "Overrides per job; `name: null` removes the job from this environment." }),
  resources: z
    .record(z.string(), z.record(z.string(), z.unknown()).nullable())
    .optional()
    .meta({ description: "Overrides per resource; `name: null` removes the resource from this environment." }),
  edge: z.record(z.string(), z.unknown()).optional().meta({
    description:
      "Overrides of the edge. Local environments usually set `{ port: 8080, tls: false }`: `cairn up` serves on this machine, where ports under 1024 need root and no certificate exists for the domain.",
  }),
  routes: z.array(z.unknown()).optional().meta({ description: "Replaces the routes." }),
  alarms: z.array(z.unknown()).optional(),
  logs: z.record(z.string(), z.unknown()).optional(),
  hosts: hosts.optional(),
  ssh: ssh.optional(),
  deploy: deploy.optional(),
});
