/** Lints on operations: jobs without timeouts, stateful resources without a second copy, unused secrets. */
import type { Finding } from "../../diagnostics/types.js";
import type { LintRule } from "../types.js";

export const jobNoTimeout: LintRule = {
  code: "lint/job-no-timeout",
  check: (stack) =>
    stack.jobs
      .filter((j) => j.timeoutMs === null)
      .map((j): Finding => ({ code: "lint/job-no-timeout", message: `job "${j.name}" has no timeout`, path: ["jobs", j.name] })),
};

export const singleInstance: LintRule = {
  code: "lint/single-instance",
  check: (stack) => {
    if (stack.environment.target === "local") return [];
    const findings: Finding[] = [];
    for (const r of stack.resources) {
      if (r.type !== "postgres" && r.type !== "redis") continue;
      if (r.type === "redis" && !r.persistence) continue;
      const copies = r.replicas + (r.type === "postgres" && r.ha ? 1 : 0);
      if (copies === 0 && r.backups === null)
        findings.push({
          code: "lint/single-instance",
          message: `${r.type} "${r.name}" has one instance and no backups`,
          path: ["resources", r.name],
        });
    }
    return findings;
  },
};

export const unusedSecret: LintRule = {
  code: "lint/unused-secret",
  check: (stack) =>
    stack.secrets
      .filter((s) => s.usedBy.length === 0)
      .map((s): Finding => ({ code: "lint/unused-secret", message: `secret "${s.name}" is declared but nothing uses it`, path: ["secrets"] })),
};
