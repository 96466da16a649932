/** What `cairn cost` prices for a Fargate task is what the aws target builds, for every size a file can ask. */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planOf } from "../targets/aws/plan.js";
import { repoRoot, stackFrom } from "../test-support/index.js";
import { priceBook, readCatalog } from "./catalog.js";
import { estimate } from "./estimate.js";

const read = readCatalog(JSON.parse(readFileSync(`${repoRoot}catalog/aws-prices.json`, "utf8")));
if (!("catalog" in read)) throw new Error("the catalog does not read");
const book = priceBook(read.catalog);

const stack = (cpu: number, memoryMiB: number) =>
  stackFrom(`name: s
services:
  api: { image: shop/api:1, port: 8080, size: { cpu: ${cpu}, memory: ${memoryMiB}Mi } }
routes: [{ path: /, to: api }]
environments:
  prod: { target: aws, region: us-east-1 }
`);

describe("Fargate sizes: cost and the aws target agree", () => {
  it("prices the vCPU and memory the task definition asks, for any size", () => {
    const cpus = fc.constantFrom(0.125, 0.25, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8, 12, 16);
    fc.assert(
      fc.property(cpus, fc.integer({ min: 128, max: 120 * 1024 }), (cpu, memoryMiB) => {
        const s = stack(cpu, memoryMiB);
        const task = planOf(s).plan.services[0];
        const cost = estimate(s, "aws", book);
        const line = (part: string) => cost.lines.find((l) => l.service === "Fargate" && l.item.startsWith("api") && l.item.endsWith(`: ${part}`));
        const hours = 730;
        expect(line("vCPU")?.quantity).toBeCloseTo(((task?.cpu ?? 0) / 1024) * hours * (task?.desiredCount ?? 0), 6);
        expect(line("memory")?.quantity).toBeCloseTo(((task?.memoryMiB ?? 0) / 1024) * hours * (task?.desiredCount ?? 0), 6);
      }),
      { numRuns: 200 },
    );
  });

  it("the two sizes the issue found apart now agree: 0.5 vCPU / 5 GB and 0.25 vCPU / 3 GB", () => {
    for (const [cpu, memoryMiB, builtCpu] of [
      [0.5, 5120, 1024],
      [0.25, 3072, 512],
    ] as const) {
      const s = stack(cpu, memoryMiB);
      expect(planOf(s).plan.services[0]?.cpu).toBe(builtCpu);
      expect(estimate(s, "aws", book).lines.find((l) => l.item.endsWith(": vCPU"))?.quantity).toBe((builtCpu / 1024) * 730);
    }
  });
});
