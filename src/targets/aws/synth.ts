/**
 * In-process synthesis of a plan with aws-cdk-lib: the same `CairnStack` the generated app runs.
 * The CDK writes its cloud assembly to a folder, so this uses a private temporary folder and
 * removes it; only the template (and, when asked, the validation findings) come back. No AWS
 * account is needed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plan } from "./cdk/plan-types.js";

type Cdk = { App: typeof import("aws-cdk-lib").App; CairnStack: typeof import("./cdk/cairn-stack.js").CairnStack };
let cdk: Cdk | undefined;

/**
 * Loads aws-cdk-lib and the construct code on the first synthesis only: loading them costs a good
 * part of a second, which every other command would otherwise pay at start. Synchronous, since
 * targets are: Node (>= 20.19) requires the ES module; from TypeScript sources (tests, benches)
 * tsx's require compiles it.
 */
function loadCdk(): Cdk {
  if (cdk) return cdk;
  const require = createRequire(import.meta.url);
  const fromSource = import.meta.url.endsWith(".ts");
  const load = (id: string) => (fromSource ? require("tsx/cjs/api").require(id, import.meta.url) : require(id));
  cdk = { App: require("aws-cdk-lib").App, CairnStack: load(fromSource ? "./cdk/cairn-stack.ts" : "./cdk/cairn-stack.js").CairnStack };
  return cdk;
}

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
  const { App, CairnStack } = loadCdk();
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
