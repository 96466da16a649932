import { describe, expect, it } from "vitest";
import { codesOf } from "../../test-support/index.js";

const onVm = "environments:\n  prod: { target: vm }\n";

describe("lint/job-no-timeout", () => {
  it("warns on a job without a timeout, and not with one", () => {
    expect(codesOf("name: s\njobs:\n  j: { run: x }\n")).toEqual(["lint/job-no-timeout"]);
    expect(codesOf("name: s\njobs:\n  j: { run: x, timeout: 30m }\n")).toEqual([]);
  });
});

describe("lint/single-instance", () => {
  it("warns on a hosted postgres or persistent redis with one instance and no backups", () => {
    expect(codesOf(`name: s\nresources:\n  db: { type: postgres }\n  cache: { type: redis }\n${onVm}`)).toEqual([
      "lint/single-instance",
      "lint/single-instance",
    ]);
  });

  it("accepts backups, a replica, HA, a cache without persistence, and local runs", () => {
    expect(codesOf(`name: s\nresources:\n  db: { type: postgres, backups: 7d }\n${onVm}`)).toEqual([]);
    expect(codesOf(`name: s\nresources:\n  db: { type: postgres, replicas: 1 }\n${onVm}`)).toEqual([]);
    expect(codesOf(`name: s\nresources:\n  db: { type: postgres, ha: true }\n${onVm}`)).toEqual([]);
    expect(codesOf(`name: s\nresources:\n  cache: { type: redis, persistence: false }\n${onVm}`)).toEqual([]);
    expect(codesOf("name: s\nresources:\n  db: { type: postgres }\n")).toEqual([]);
  });
});

describe("lint/unused-secret", () => {
  it("warns on a declared secret nothing uses, and not on a used one", () => {
    expect(codesOf("name: s\nsecrets: [A]\n")).toEqual(["lint/unused-secret"]);
    expect(codesOf('name: s\nsecrets: [A]\nservices:\n  w: { run: x, env: { A: "${secret.A}" } }\n')).toEqual([]);
    expect(codesOf('name: s\nsecrets: [A]\nresources:\n  e: { type: external, url: "${secret.A}" }\n')).toEqual([]);
  });
});
