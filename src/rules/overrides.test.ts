import { describe, expect, it } from "vitest";
import { analyzeText, codesOf } from "../test-support/index.js";

const stack = (overrides: string) => `name: s
services:
  web: { run: x, port: 3000 }
jobs:
  nightly: { run: x, timeout: 5m }
resources:
  db: { type: redis, persistence: false }
environments:
  prod:
${overrides}`;

describe("overrides rule", () => {
  it("accepts overrides of declared parts", () => {
    expect(codesOf(stack("    services: { web: { replicas: 2 } }\n    jobs: { nightly: { timeout: 10m } }\n    resources: { db: { memory: 1GB } }\n"))).toEqual(
      [],
    );
  });

  it("reports an override of an unknown service at its key, with a suggestion", () => {
    const [d] = analyzeText(stack("    services:\n      wbe: { replicas: 2 }\n")).diagnostics;
    expect([d?.code, d?.line, d?.column]).toEqual(["env/unknown-part", 11, 7]);
    expect(d?.message).toContain('did you mean "web"?');
  });

  it("reports unknown jobs and resources too", () => {
    expect(codesOf(stack("    jobs: { other: { timeout: 1m } }\n    resources: { cache: { memory: 1GB } }\n"))).toEqual([
      "env/unknown-part",
      "env/unknown-part",
    ]);
  });
});
