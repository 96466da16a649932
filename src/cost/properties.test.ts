/** Properties over generated stacks: more replicas never cost less, fewer resources never cost more, nothing is silently left out. */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { repoRoot, stackFrom } from "../test-support/index.js";
import { priceBook, readCatalog } from "./catalog.js";
import { estimate, unaccounted } from "./estimate.js";

const read = readCatalog(JSON.parse(readFileSync(`${repoRoot}catalog/aws-prices.json`, "utf8")));
if ("errors" in read) throw new Error(read.errors.join("; "));
const book = priceBook(read.catalog);
const options = ["vm", "compose", "aws", "k8s"] as const;

const service = fc.record({
  cpu: fc.constantFrom(0.25, 0.5, 1, 2),
  memory: fc.constantFrom("256Mi", "512Mi", "1Gi", "2Gi"),
  replicas: fc.integer({ min: 1, max: 4 }),
});
const resource = fc.oneof(
  fc.record({
    type: fc.constant("postgres"),
    ha: fc.boolean(),
    replicas: fc.integer({ min: 0, max: 2 }),
    managed: fc.option(fc.boolean(), { nil: undefined }),
  }),
  fc.record({ type: fc.constant("redis"), replicas: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ type: fc.constant("bucket"), cdn: fc.boolean() }),
  fc.record({ type: fc.constant("table") }),
);
const spec = fc.record({
  services: fc.array(service, { minLength: 1, maxLength: 3 }),
  resources: fc.array(resource, { maxLength: 4 }),
  secrets: fc.integer({ min: 0, max: 2 }),
  alarms: fc.boolean(),
  region: fc.constantFrom("us-east-1", "eu-west-1", "eu-west-3"),
  nat: fc.boolean(),
  waf: fc.boolean(),
  domain: fc.boolean(),
  extra: fc.boolean(),
});
type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

/** The stack file for a spec, with every service's replicas multiplied by `factor`. */
function yaml(s: Spec, factor = 1): string {
  const lines = ["name: gen", "services:"];
  for (const [i, x] of s.services.entries()) {
    lines.push(`  s${i}: { run: x, port: ${3000 + i}, size: { cpu: ${x.cpu}, memory: ${x.memory} }, replicas: ${x.replicas * factor} }`);
  }
  lines.push("routes:", ...s.services.map((_, i) => `  - { path: /s${i}, to: s${i} }`));
  if (s.resources.length) {
    lines.push("resources:");
    s.resources.forEach((r, i) => {
      const fields = Object.entries(r)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}: ${v}`);
      if (r.type === "table") fields.push("key: { hash: id }");
      lines.push(`  r${i}: { ${fields.join(", ")} }`);
    });
  }
  if (s.secrets) lines.push("secrets:", ...Array.from({ length: s.secrets }, (_, i) => `  K${i}: a secret`));
  if (s.alarms) lines.push('alarms: ["cpu > 80% for 5m", "error_rate > 5% for 5m"]');
  lines.push(`edge: { port: 443${s.waf ? ", waf: [sqli, xss], rate_limit: 100/min" : ""} }`);
  if (s.extra) lines.push("extra_costs: [{ name: Monitoring, monthly: 26 }]");
  lines.push("environments:", `  prod: { target: vm, region: ${s.region}, nat: ${s.nat}${s.domain ? ", domain: example.org" : ""} }`);
  return `${lines.join("\n")}\n`;
}

const RUNS = { numRuns: 60 };

describe("pricing properties", () => {
  it("doubling replicas never lowers the price", () => {
    fc.assert(
      fc.property(spec, fc.constantFrom(...options), (s, option) => {
        const one = estimate(stackFrom(yaml(s), "prod"), option, book);
        const two = estimate(stackFrom(yaml(s, 2), "prod"), option, book);
        expect(two.total).toBeGreaterThanOrEqual(one.total);
      }),
      RUNS,
    );
  });
  it("removing a resource never raises the price", () => {
    fc.assert(
      fc.property(
        spec.filter((s) => s.resources.length > 0),
        fc.nat(),
        fc.constantFrom(...options),
        (s, at, option) => {
          const fewer = { ...s, resources: s.resources.filter((_, i) => i !== at % s.resources.length) };
          const before = estimate(stackFrom(yaml(s), "prod"), option, book);
          const after = estimate(stackFrom(yaml(fewer), "prod"), option, book);
          expect(after.total).toBeLessThanOrEqual(before.total);
        },
      ),
      RUNS,
    );
  });
  it("every component appears in a line or in the free / not priced list", () => {
    fc.assert(
      fc.property(spec, fc.constantFrom("local", ...options), (s, option) => {
        const stack = stackFrom(yaml(s), "prod");
        expect(unaccounted(stack, estimate(stack, option, book))).toEqual([]);
      }),
      RUNS,
    );
  });
});
