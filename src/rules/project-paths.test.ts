import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isWithin, leavesProject } from "../model/project-paths.js";
import { analyzeText, codesOf } from "../test-support/index.js";

const bucket = (seed: string, extra = "") => `name: s\nresources:\n  files: { type: bucket, seed: ${JSON.stringify(seed)}${extra} }\n`;
const site = (dir: string, extra = "") => `name: s\nresources:\n  site: { type: static, dir: ${JSON.stringify(dir)}${extra} }\n`;

describe("project paths rule", () => {
  it("accepts folders inside the project", () => {
    for (const path of ["data", "./data/seed", "a/../b", "frontend/dist"]) expect([path, codesOf(bucket(path)), codesOf(site(path))]).toEqual([path, [], []]);
  });

  it("refuses a seed or dir that climbs out or is absolute, at the value", () => {
    const [d] = analyzeText(bucket("../../etc")).diagnostics;
    expect([d?.code, d?.line, d?.column, d?.message]).toEqual([
      "path/outside-project",
      3,
      32,
      "\"../../etc\" leaves the project's folder: it climbs above the project's folder",
    ]);
    for (const path of ["/etc", "..", "data/../../x", "..\\..\\etc", "C:\\Windows"])
      expect([path, codesOf(site(path))]).toEqual([path, ["path/outside-project"]]);
  });

  it("accepts it with outside_project: true, and lints that", () => {
    const ds = analyzeText(bucket("../shared", ", outside_project: true")).diagnostics;
    expect(ds.map((d) => [d.code, d.severity, d.path.join(".")])).toEqual([["lint/outside-project", "warning", "resources.files.outside_project"]]);
    expect(codesOf(site("/srv/www", ", outside_project: true"))).toEqual(["lint/outside-project"]);
  });

  it("agrees with a resolved path on any relative path (fuzz)", () => {
    const segment = fc.constantFrom("..", ".", "a", "b", "", "...", "a..");
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const path = segments.join("/");
        if (path === "" || path.startsWith("/")) return; // absolute paths are refused whatever they name
        const inside = isWithin("/project", `/project/${path}`);
        expect(leavesProject(path) === null).toBe(inside);
      }),
      { numRuns: 500 },
    );
  });
});
