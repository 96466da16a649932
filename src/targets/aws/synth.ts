/**
 * In-process synthesis of a plan with aws-cdk-lib: the same stack class the generated app runs (the
 * Fargate app's `CairnStack`, the machine's `Ec2Stack`). The CDK writes its cloud assembly to a
 * folder, so this uses a private temporary folder and removes it; only the template (and, when
 * asked, the validation findings) come back. No AWS account is needed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Ec2Plan } from "./cdk/ec2/plan-types.js";
import type { Plan } from "./cdk/plan-types.js";

type App = typeof import("aws-cdk-lib").App;
type StackClass<P> = new (app: InstanceType<App>, plan: P) => { readonly stackName: string };
const loaded = new Map<string, unknown>();

/**
 * Loads a module on the first synthesis that needs it: aws-cdk-lib and the construct code cost a
 * good part of a second, which every other command would otherwise pay at start. Synchronous, since
 * targets are: Node (>= 20.19) requires the ES module; from TypeScript sources (tests, benches)
 * tsx's require compiles it. `local` is a path without its extension, next to this file.
 */
function load<T>(id: string, local: boolean): T {
  const known = loaded.get(id);
  if (known) return known as T;
  const require = createRequire(import.meta.url);
  const fromSource = import.meta.url.endsWith(".ts");
  const module = !local ? require(id) : fromSource ? require("tsx/cjs/api").require(`${id}.ts`, import.meta.url) : require(`${id}.js`);
  loaded.set(id, module);
  return module as T;
}

export interface Synthesis {
  readonly template: Record<string, unknown>;
  /** Findings of the CDK's CloudFormation validation (rule, message, resource), when it ran. */
  readonly findings: readonly { readonly rule: string; readonly message: string; readonly resource: string }[];
}

export interface SynthesisOptions {
  /**
   * Run the CDK's CloudFormation validation (resource types and properties against the CloudFormation
   * schema, offline): it takes seconds, so builds skip it and tests run it.
   */
  readonly validate?: boolean;
}

interface Report {
  pluginReports?: { violations?: { ruleName: string; description: string; violatingResources?: { resourceLogicalId: string }[] }[] }[];
}

function synthesizeWith<P>(Stack: StackClass<P>, plan: P, options: SynthesisOptions): Synthesis {
  const { App } = load<{ App: App }>("aws-cdk-lib", false);
  const outdir = mkdtempSync(join(tmpdir(), "cairn-cdk-"));
  try {
    const app = new App({ outdir, analyticsReporting: false, builtinCloudFormationValidation: options.validate ?? false, treeMetadata: false });
    const stack = new Stack(app, plan);
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

/** The CloudFormation template of the Fargate app's plan. */
export function synthesize(plan: Plan, options: SynthesisOptions = {}): Synthesis {
  const { CairnStack } = load<typeof import("./cdk/cairn-stack.js")>("./cdk/cairn-stack", true);
  return synthesizeWith(CairnStack, plan, options);
}

/** The CloudFormation template of the machine's (EC2) plan. */
export function synthesizeEc2(plan: Ec2Plan, options: SynthesisOptions = {}): Synthesis {
  const { Ec2Stack } = load<typeof import("./cdk/ec2/ec2-stack.js")>("./cdk/ec2/ec2-stack", true);
  return synthesizeWith(Ec2Stack, plan, options);
}
