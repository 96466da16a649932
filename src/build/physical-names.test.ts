/** A bucket's or table's `name:` reaches every target's output, and the default name is the same everywhere. */
import { describe, expect, it } from "vitest";
import { stackFrom } from "../test-support/index.js";
import { loadTargets } from "./registry.js";

const text = (target: string) => `name: shop
services:
  api: { run: node api.js, image: shop/api:1, port: 3000, depends_on: [files, orders, logs] }
resources:
  files: { type: bucket, name: shop-files-paris }
  orders: { type: table, name: shop-orders, key: { hash: id } }
  logs: { type: bucket }
environments:
  prod: { target: ${target}, region: eu-west-3 }
`;

describe.each((await loadTargets()).map((t) => [t.name, t] as const))("%s", (name, target) => {
  it("names buckets and tables as the file says, else <stack>-<env>-<resource>", () => {
    const output = target.generate(stackFrom(text(name)), { outDir: "out" });
    expect(output.errors).toEqual([]);
    const all = output.files.map((f) => f.content).join("\n");
    for (const physical of ["shop-files-paris", "shop-orders", "shop-prod-logs"]) expect([name, all.includes(physical)]).toEqual([name, true]);
    expect(all).not.toContain("shop-prod-files");
    expect(all).not.toContain("shop-prod-orders");
  });
});
