/** The CDK's offline CloudFormation validation (resource types and properties against the schema) on the acceptance stack. */
import { describe, expect, it } from "vitest";
import { exampleStack } from "../../test-support/index.js";
import { planOf } from "./plan.js";
import { synthesize } from "./synth.js";

describe("CloudFormation validation", () => {
  it("finds nothing in ForestGuard production", async () => {
    const { plan } = planOf(await exampleStack("forestguard", "production"));
    expect(synthesize(plan, { validate: true }).findings).toEqual([]);
  }, 120_000);

  it("catches a value CloudFormation would reject", async () => {
    const { plan } = planOf(await exampleStack("minimal"));
    const broken = { ...plan, services: plan.services.map((s) => ({ ...s, healthCheck: s.healthCheck && { ...s.healthCheck, intervalSeconds: 1000 } })) };
    const findings = synthesize(broken, { validate: true }).findings;
    expect(findings.map((f) => f.message)).toEqual(["HealthCheckIntervalSeconds: 1000 is greater than the maximum of 300"]);
  }, 120_000);
});
