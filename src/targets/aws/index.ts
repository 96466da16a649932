/**
 * The `aws` target: a CDK app in TypeScript (ECS Fargate, ALB, RDS, ElastiCache, S3, DynamoDB,
 * WAF, CloudWatch) and its CloudFormation template. Cairn decides everything in a plan (pure), then
 * synthesizes the plan in-process with the same construct code it ships in the app. A vm
 * environment gets the app of its machine instead (`ec2-app.ts`).
 */
import type { Stack } from "../../model/types.js";
import type { GeneratedFile, GenerateOptions, TargetGenerator, TargetNote, TargetOutput } from "../types.js";
import { appFiles } from "./app-files.js";
import { CDK_SOURCES } from "./cdk-sources.js";
import { generateEc2 } from "./ec2-app.js";
import { planOf } from "./plan.js";
import { readme } from "./readme.js";
import { synthesize } from "./synth.js";

function generate(stack: Stack, options: GenerateOptions): TargetOutput {
  if (stack.environment.target === "vm") return generateEc2(stack, options);
  const { plan, warnings, errors } = planOf(stack);
  if (errors.length) return { files: [], warnings, errors };
  let template: Record<string, unknown>;
  try {
    template = synthesize(plan).template;
  } catch (error) {
    const note: TargetNote = { part: "stack", message: `the CDK rejected the stack: ${(error as Error).message}`, instead: "change the part it names" };
    return { files: [], warnings, errors: [note] };
  }
  const files: GeneratedFile[] = [
    ...appFiles(plan),
    ...Object.entries(CDK_SOURCES).map(([path, content]) => ({ path, content })),
    { path: `cloudformation/${plan.stackName}.template.json`, content: `${JSON.stringify(template, null, 1)}\n` },
    { path: "README.md", content: readme(stack, plan, warnings, options.outDir ?? ".") },
  ];
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : 1)), warnings, errors: [] };
}

/** AWS: a CDK app and its CloudFormation template. */
export const awsTarget: TargetGenerator = {
  name: "aws",
  description: "AWS: a CDK app (ECS Fargate, ALB, RDS, ElastiCache, S3, DynamoDB, WAF, CloudWatch; for a vm environment, its EC2 machine) and its template",
  generate,
};
