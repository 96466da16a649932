/**
 * Keys the file accepts but that would change nothing where they are: a body limit or a request timeout
 * in a stack without routes (no proxy applies them), a maintenance window on a database no environment hands to a managed
 * service. Silent keys mislead; these say so.
 */
import type { Finding } from "../../diagnostics/types.js";
import { DEFAULTS } from "../../model/defaults.js";
import type { Stack } from "../../model/types.js";
import type { LintRule, StacksLintRule } from "../types.js";

const CODE = "lint/without-effect";

export const withoutEffect: LintRule = {
  code: CODE,
  check: (stack) => {
    // With routes, the gateway (and nginx) applies both, also at each service's own address.
    if (stack.routes.length > 0) return [];
    const findings: Finding[] = [];
    const why = "the stack has no routes, so no request goes through a proxy that would apply it";
    const edge = stack.edge;
    if (edge.maxBodyBytes !== DEFAULTS.maxBodyBytes) findings.push({ code: CODE, message: `edge.max_body has no effect: ${why}`, path: ["edge", "max_body"] });
    if (edge.timeoutMs !== DEFAULTS.requestTimeoutMs) findings.push({ code: CODE, message: `edge.timeout has no effect: ${why}`, path: ["edge", "timeout"] });
    for (const service of stack.services) {
      if (service.maxBodyBytes !== edge.maxBodyBytes)
        findings.push({ code: CODE, message: `services.${service.name}.max_body has no effect: ${why}`, path: ["services", service.name, "max_body"] });
      if (service.timeoutMs !== edge.timeoutMs)
        findings.push({ code: CODE, message: `services.${service.name}.timeout has no effect: ${why}`, path: ["services", service.name, "timeout"] });
    }
    return findings;
  },
};

/** A maintenance window only a managed service (RDS, ElastiCache) keeps. */
export const maintenanceUnmanaged: StacksLintRule = {
  code: CODE,
  check: (stacks: readonly Stack[]) => {
    const set = new Map<string, boolean>();
    for (const stack of stacks)
      for (const r of stack.resources)
        if ((r.type === "postgres" || r.type === "redis") && r.maintenance) set.set(r.name, (set.get(r.name) ?? false) || r.placement === "managed");
    return [...set]
      .filter(([, managed]) => !managed)
      .map(([name]) => ({
        code: CODE,
        message: `resources.${name}.maintenance has no effect: no environment runs "${name}" as a managed service`,
        path: ["resources", name, "maintenance"],
        hint: "A database on the machine is updated with the machine (apt); set `managed: true` in the environment that should use RDS or ElastiCache.",
      }));
  },
};
