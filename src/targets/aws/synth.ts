/**
 * In-process synthesis of a plan with aws-cdk-lib: the same `CairnStack` the generated app runs.
 * The CDK writes its cloud assembly to a folder, so this uses a private temporary folder and
 * removes it; only the template (and, when asked, the validation findings) come back. No AWS
 * account is needed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { CairnStack } from "./cdk/cairn-stack.js";
import type { Plan } from "./cdk/plan-types.js";

export interface Synthesis {
  readonly template: Record<string, unknown>;
  /** Findings of the CDK's CloudFormation validation (rule, message, resource), when it ran. */
  readonly findings: readonly { readonly rule: string; readonly message: string; readonly resource: string }[];
}

interface Report {
  pluginReports?: { violations?: { ruleName: string; description: string; violatingResources?: { resourceLogicalId: string }[] }[] }[];
}

/**
 * The CloudFormation template of the plan. `validate` runs the CDK's CloudFormation validation
 * (resource types and properties against the CloudFormation schema, offline): it takes seconds,
 * so builds skip it and tests run it.
 */
export function synthesize(plan: Plan, options: { validate?: boolean } = {}): Synthesis {
  const outdir = mkdtempSync(join(tmpdir(), "cairn-cdk-"));
  try {
    const app = new App({ outdir, analyticsReporting: false, builtinCloudFormationValidation: options.validate ?? false, treeMetadata: false });
    const stack = new CairnStack(app, plan);
    const template = app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
    const reportFile = join(outdir, "validation-report.json");
    const report: Report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, "utf8")) : {};
    const findings = (report.pluginReports ?? []).flatMap((p) =>
      (p.violations ?? []).map((v) => ({
        rule: v.ruleName,
        message: v.description,
        resource: (v.violatingResources ?? []).map((r) => r.resourceLogicalId).join(","),
      })),
    );
    return { template, findings };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
