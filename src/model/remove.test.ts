/** `name: null` in an environment takes a service, job or resource out of that environment only. */
import { describe, expect, it } from "vitest";
import { analyzeText, exampleStack, stackFrom } from "../test-support/index.js";

const text = (mvp: string) => `name: s
services:
  web: { run: x, port: 3000, env: { REDIS_URL: "\${cache.url}", MODE: full }, depends_on: [cache] }
  worker: { run: y }
jobs:
  nightly: { run: z, schedule: daily at 02:00 }
resources:
  cache: { type: redis }
environments:
  local: { target: local }
  mvp:
    target: vm
${mvp}`;

describe("removing a part in one environment", () => {
  it("removes the resource, service or job there and keeps it elsewhere", () => {
    const mvp = `    resources: { cache: null }
    services: { web: { env: { REDIS_URL: null }, depends_on: [] }, worker: null }
    jobs: { nightly: null }
`;
    const there = stackFrom(text(mvp), "mvp");
    expect(there.resources.map((r) => r.name)).toEqual([]);
    expect(there.services.map((s) => s.name)).toEqual(["web"]);
    expect(there.jobs).toEqual([]);
    expect(there.services[0]?.env.map((v) => v.name)).toEqual(["MODE"]);
    const local = stackFrom(text(mvp), "local");
    expect(local.resources.map((r) => r.name)).toEqual(["cache"]);
    expect(local.services.map((s) => s.name)).toEqual(["web", "worker"]);
  });

  it("names each use of the removed part in that environment, at the use", () => {
    const found = analyzeText(text("    resources: { cache: null }\n")).diagnostics;
    expect(found.map((d) => [d.code, d.line])).toEqual([
      ["ref/removed", 3],
      ["ref/removed", 3],
    ]);
    expect(found[0]?.message).toBe('"cache" is removed in environment mvp (`cache: null`), but this still uses it there');
  });

  it("ForestGuard's MVP runs without Redis, as its authors priced it", async () => {
    const mvp = await exampleStack("forestguard", "mvp");
    expect(mvp.resources.map((r) => r.name)).not.toContain("cache");
    expect(mvp.services[0]?.env.map((v) => v.name)).not.toContain("REDIS_URL");
    expect((await exampleStack("forestguard", "production")).resources.map((r) => r.name)).toContain("cache");
  });
});
