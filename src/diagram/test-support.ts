/**
 * Test helpers for diagrams: every view of every example environment, and small random stacks
 * (fast-check) with names and counts of every shape a stack file allows.
 */
import fc from "fast-check";
import { EXAMPLES, exampleStacks } from "../guide/test-support.js";
import { analyze } from "../load/analyze.js";
import type { Stack } from "../model/types.js";
import type { ViewName } from "./types.js";
import { viewsFor } from "./views/index.js";

export interface Case {
  readonly name: string;
  readonly stack: Stack;
  readonly view: ViewName;
}

/** Every example, every environment, every view it has. */
export async function exampleCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const example of EXAMPLES)
    for (const stack of await exampleStacks(example))
      for (const view of viewsFor(stack)) cases.push({ name: `${example}-${stack.environment.name}-${view}`, stack, view });
  return cases;
}

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,8}){0,3}$/);
const TYPES = ["postgres", "redis", "bucket", "table"] as const;
const TARGETS = ["vm", "aws", "k8s", "compose", "local"] as const;

/** A valid stack file text: 1 to 6 services, up to 3 jobs, up to 5 resources, routes, a target. */
export const stackText = fc
  .record({
    services: fc.uniqueArray(word, { minLength: 1, maxLength: 6 }),
    jobs: fc.uniqueArray(
      word.map((w) => `job-${w}`),
      { maxLength: 3 },
    ),
    resources: fc.uniqueArray(
      fc.tuple(
        word.map((w) => `res-${w}`),
        fc.constantFrom(...TYPES),
      ),
      { maxLength: 5, selector: (r) => r[0] },
    ),
    routed: fc.boolean(),
    hosts: fc.boolean(),
    target: fc.constantFrom(...TARGETS),
    replicas: fc.integer({ min: 1, max: 12 }),
  })
  .map(({ services, jobs, resources, routed, hosts, target, replicas }) => {
    const res = resources.map(([name, type]) => `  ${name}: { type: ${type}${type === "table" ? ", key: { hash: id }" : ""} }`);
    const uses = (i: number) => (resources.length ? `, depends_on: [${resources[i % resources.length]?.[0]}]` : "");
    return [
      "name: generated",
      "domain: generated.example.org",
      "services:",
      ...services.map(
        (s, i) => `  svc-${s}: { run: node server.mjs, port: ${3000 + i}, health: /health, replicas: ${(i % 3) + (i === 0 ? replicas : 1)}${uses(i)} }`,
      ),
      ...(jobs.length ? ["jobs:", ...jobs.map((j, i) => `  ${j}: { run: node job.mjs, schedule: "daily at 0${i}:30"${uses(i + 1)} }`)] : []),
      ...(res.length ? ["resources:", ...res] : []),
      ...(routed
        ? ["routes:", ...services.map((s, i) => `  - { ${hosts ? `host: "${s}.{domain}", ` : ""}path: /${i === 0 && !hosts ? "" : s}, to: svc-${s} }`)]
        : []),
      "edge: { port: 443, tls: auto }",
      "environments:",
      `  env: { target: ${target}, instance: t3.medium }`,
      "",
    ].join("\n");
  });

/** The stack of a generated text (the generator only writes valid files). */
export function stackOf(text: string): Stack {
  const analysis = analyze("/virtual/cairn.yaml", text, { lint: false });
  const stack = analysis.stacks.values().next().value;
  if (!stack) throw new Error(`generated stack has errors: ${analysis.diagnostics.map((d) => d.message).join("; ")}\n${text}`);
  return stack;
}
