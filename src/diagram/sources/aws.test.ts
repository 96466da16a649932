/**
 * The security-group table the diagram and the guide show for aws is the one the CDK app builds: the
 * rules derived from the plan equal the ingress rules of the synthesized CloudFormation template, on
 * ForestGuard production (load balancer, service, database, cache) and Harena on Fargate (service to
 * service calls, no NAT).
 */
import { describe, expect, it } from "vitest";
import { exampleStacks } from "../../guide/test-support.js";
import { synthesize } from "../../targets/aws/synth.js";
import { awsFacts, LOAD_BALANCER } from "./aws.js";

type Resource = { Type: string; Properties: Record<string, unknown> };

/** Every inbound rule of the template as "group <- source:port", groups named by their description's owner. */
function templateRules(template: Record<string, unknown>): string[] {
  const resources = template.Resources as Record<string, Resource>;
  const owner = new Map<string, string>();
  for (const [id, r] of Object.entries(resources))
    if (r.Type === "AWS::EC2::SecurityGroup") {
      const description = String(r.Properties.GroupDescription);
      owner.set(id, description.startsWith("load balancer") ? LOAD_BALANCER : (description.split(":")[0] ?? id));
    }
  const rules: string[] = [];
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === "AWS::EC2::SecurityGroup")
      for (const rule of (r.Properties.SecurityGroupIngress ?? []) as { CidrIp: string; FromPort: number }[])
        rules.push(`${owner.get(id)} <- ${rule.CidrIp}:${rule.FromPort}`);
    if (r.Type === "AWS::EC2::SecurityGroupIngress") {
      const ref = (v: unknown) => owner.get(((v as { "Fn::GetAtt": string[] })["Fn::GetAtt"] ?? [])[0] ?? "") ?? "?";
      rules.push(`${ref(r.Properties.GroupId)} <- ${ref(r.Properties.SourceSecurityGroupId)}:${r.Properties.FromPort}`);
    }
  }
  return rules.sort();
}

describe("aws security-group rules", () => {
  for (const [example, env] of [
    ["forestguard", "production"],
    ["harena", "fargate"],
  ] as const)
    it(`${example} ${env}: the table derived from the plan is the template's`, async () => {
      const stack = (await exampleStacks(example)).find((s) => s.environment.name === env);
      if (!stack) throw new Error("no stack");
      const facts = awsFacts(stack);
      const ours = facts.rules.map((r) => `${r.group} <- ${r.source.kind === "cidr" ? r.source.cidr : r.source.name}:${r.port}`).sort();
      expect(ours.length).toBeGreaterThan(2);
      expect(ours).toEqual(templateRules(synthesize(facts.plan).template));
    }, 120_000);
});
