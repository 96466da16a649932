/**
 * What the aws target builds, read from its plan (the data its CDK app is made from): the plan
 * itself, and the security-group rules the construct code derives from it, as a table. A test
 * checks this table against the synthesized CloudFormation template.
 */
import type { Stack } from "../../model/types.js";
import type { Plan } from "../../targets/aws/cdk/plan-types.js";
import { planOf } from "../../targets/aws/plan.js";
import { PORTS } from "../../targets/k8s/env.js";
import type { TargetNote } from "../../targets/types.js";

/** One inbound rule: who may reach which group on which port. */
export interface AwsRule {
  /** The group's owner: `load-balancer`, a service, job, database or cache name. */
  readonly group: string;
  readonly port: number;
  readonly protocol: "tcp";
  /** A CIDR block, or the name of the group the traffic comes from. */
  readonly source: { readonly kind: "cidr"; readonly cidr: string } | { readonly kind: "group"; readonly name: string };
  readonly purpose: "edge" | "load-balancer" | "call" | "database" | "cache";
}

export interface AwsFacts {
  readonly plan: Plan;
  readonly warnings: readonly TargetNote[];
  readonly rules: readonly AwsRule[];
  /** True when the load balancer exists (a public service with a port). */
  readonly loadBalancer: boolean;
}

export const LOAD_BALANCER = "load-balancer";

function rulesOf(plan: Plan, loadBalancer: boolean): AwsRule[] {
  const rules: AwsRule[] = [];
  if (loadBalancer) {
    const { listener } = plan;
    const ports = listener.https && listener.redirectHttp && listener.port !== 80 ? [listener.port, 80] : [listener.port];
    const sources = listener.allow.length ? listener.allow : ["0.0.0.0/0"];
    for (const cidr of sources)
      for (const port of ports) rules.push({ group: LOAD_BALANCER, port, protocol: "tcp", source: { kind: "cidr", cidr }, purpose: "edge" });
    for (const s of plan.services)
      if (s.public && s.port)
        rules.push({ group: s.name, port: s.port, protocol: "tcp", source: { kind: "group", name: LOAD_BALANCER }, purpose: "load-balancer" });
  }
  const databases = new Set(plan.databases.map((d) => d.name));
  const caches = new Set(plan.caches.map((c) => c.name));
  for (const task of [...plan.services, ...plan.jobs]) {
    for (const callee of task.calls) {
      const port = plan.services.find((s) => s.name === callee)?.port;
      if (port) rules.push({ group: callee, port, protocol: "tcp", source: { kind: "group", name: task.name }, purpose: "call" });
    }
    for (const name of task.uses) {
      if (databases.has(name))
        rules.push({ group: name, port: PORTS.postgres, protocol: "tcp", source: { kind: "group", name: task.name }, purpose: "database" });
      if (caches.has(name)) rules.push({ group: name, port: PORTS.redis, protocol: "tcp", source: { kind: "group", name: task.name }, purpose: "cache" });
    }
  }
  return rules;
}

/** The aws target's plan for this environment, and its security-group rules. */
/** Facts already read, per stack: the guide's sections and the diagram ask for the same ones. */
const readAwsFacts = new WeakMap<Stack, AwsFacts>();

export function awsFacts(stack: Stack): AwsFacts {
  const known = readAwsFacts.get(stack);
  if (known) return known;
  const facts = awsFactsOf(stack);
  readAwsFacts.set(stack, facts);
  return facts;
}

function awsFactsOf(stack: Stack): AwsFacts {
  const { plan, warnings } = planOf(stack);
  const loadBalancer = plan.services.some((s) => s.public && s.port);
  return { plan, warnings, rules: rulesOf(plan, loadBalancer), loadBalancer };
}
