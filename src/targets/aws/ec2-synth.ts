/**
 * In-process synthesis of a machine plan with aws-cdk-lib: the same `Ec2Stack` the generated app
 * runs, loaded on the first synthesis only, its cloud assembly written to a private temporary folder
 * and removed. No AWS account is needed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Ec2Plan } from "./cdk/ec2/plan-types.js";
import type { Synthesis } from "./synth.js";

type Cdk = { App: typeof import("aws-cdk-lib").App; Ec2Stack: typeof import("./cdk/ec2/ec2-stack.js").Ec2Stack };
let cdk: Cdk | undefined;

/** As `synth.ts` does for the Fargate app: from TypeScript sources (tests, benches) tsx's require compiles the construct code. */
function loadCdk(): Cdk {
  if (cdk) return cdk;
  const require = createRequire(import.meta.url);
  const fromSource = import.meta.url.endsWith(".ts");
  const load = (id: string) => (fromSource ? require("tsx/cjs/api").require(id, import.meta.url) : require(id));
  cdk = { App: require("aws-cdk-lib").App, Ec2Stack: load(fromSource ? "./cdk/ec2/ec2-stack.ts" : "./cdk/ec2/ec2-stack.js").Ec2Stack };
  return cdk;
}

interface Report {
  pluginReports?: { violations?: { ruleName: string; description: string; violatingResources?: { resourceLogicalId: string }[] }[] }[];
}

/** The CloudFormation template of the plan; `validate` also runs the CDK's offline CloudFormation validation. */
export function synthesizeEc2(plan: Ec2Plan, options: { validate?: boolean } = {}): Synthesis {
  const { App, Ec2Stack } = loadCdk();
  const outdir = mkdtempSync(join(tmpdir(), "cairn-cdk-"));
  try {
    const app = new App({ outdir, analyticsReporting: false, builtinCloudFormationValidation: options.validate ?? false, treeMetadata: false });
    const stack = new Ec2Stack(app, plan);
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
