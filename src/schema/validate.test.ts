import { describe, expect, it } from "vitest";
import { analyzeText } from "../test-support/index.js";
import { didYouMean } from "./did-you-mean.js";

const diagnostics = (text: string) => analyzeText(text).diagnostics.map((d) => ({ code: d.code, line: d.line, column: d.column, message: d.message }));

describe("schema validation", () => {
  it("reports an unknown key at the key, with did you mean", () => {
    expect(diagnostics("name: s\nservics: {}\n")).toEqual([
      { code: "schema/unknown-key", line: 2, column: 1, message: 'unknown key "servics": did you mean "services"?' },
    ]);
    const [d] = analyzeText("name: s\nservices:\n  web: { run: x, helth: /h }\n").diagnostics;
    expect([d?.code, d?.line, d?.column, d?.hint]).toEqual(["schema/unknown-key", 3, 18, 'Rename it to "health".']);
  });

  it("suggests nothing for a key far from every known one", () => {
    expect(diagnostics("name: s\nzzzzzzzz: 1\n")[0]?.message).toBe('unknown key "zzzzzzzz"');
  });

  it("reports a wrong type with what was given", () => {
    expect(diagnostics('name: s\nservices:\n  web: { run: x, port: "80" }\n')).toEqual([
      { code: "schema/type", line: 3, column: 24, message: 'expected number, got string "80"' },
    ]);
    expect(diagnostics("name: s\nservices: [a, b]\n")[0]?.code).toBe("schema/type");
  });

  it("reports a missing required key on its parent", () => {
    expect(diagnostics("services: {}\n")).toEqual([{ code: "schema/missing", line: 1, column: 1, message: '"name" is required (string)' }]);
    const ds = diagnostics("name: s\nresources:\n  t: { type: table }\n");
    expect(ds).toEqual([{ code: "schema/missing", line: 3, column: 3, message: '"key" is required (object)' }]);
  });

  it("checks a table's indexes: a global one needs hash, a local one range and not hash", () => {
    const ds = diagnostics(
      "name: s\nresources:\n  t:\n    type: table\n    key: { hash: id, range: at }\n    indexes:\n      g1: { range: x }\n      glo: { range: x }\n      loc: { local: true, hash: id }\n",
    );
    expect(ds.map((d) => [d.line, d.message])).toEqual([
      [7, "a global index needs `hash` (or `local: true`)"],
      [7, "an index name has 3 to 255 of a-z, A-Z, 0-9, `_`, `.`, `-`"],
      [8, "a global index needs `hash` (or `local: true`)"],
      [9, "a local index uses the table's hash key: remove `hash`"],
      [9, "a local index needs `range`"],
    ]);
    expect(diagnostics("name: s\nresources:\n  t: { type: table, key: { hash: id }, attributes: { id: decimal } }\n")[0]?.code).toBe("schema/value");
  });

  it("reports bad durations, sizes and percentages with the exact message", () => {
    expect(diagnostics("name: s\njobs:\n  j: { run: x, timeout: 5 minutes }\n")).toEqual([
      { code: "schema/unit", line: 3, column: 25, message: '"5 minutes" is not a duration (use a number and a unit: 500ms, 30s, 5m, 1h, 7d, 2w)' },
    ]);
    expect(diagnostics("name: s\nresources:\n  c: { type: redis, memory: 3XB }\n")).toEqual([
      { code: "schema/unit", line: 3, column: 29, message: '"3XB" is not a size (use a number and a unit: 512Mi, 2Gi, 4GB, 200MB)' },
    ]);
    expect(diagnostics("name: s\nservices:\n  w: { run: x, scale: { min: 1, max: 2, cpu: 170% } }\n")).toEqual([
      { code: "schema/unit", line: 3, column: 46, message: '"170%" is not a percentage (use a value from 0% to 100%)' },
    ]);
  });

  it("reports numbers, strings and lists out of bounds in words", () => {
    expect(diagnostics("name: s\nservices:\n  web: { run: x, port: 70000, size: { cpu: 0 } }\n").map((d) => d.message)).toEqual([
      "must be at most 65535, got number 70000",
      "must be more than 0, got number 0",
    ]);
    expect(diagnostics("name: s\nresources:\n  q: { type: postgres, replicas: 99 }\n")[0]?.message).toBe("must be at most 15, got number 99");
    expect(diagnostics("name: s\nextra_costs: [{ name: x, monthly: -1 }]\n")[0]?.message).toBe("must be at least 0, got number -1");
  });

  it("reports invalid names: the stack's, a service's, and one name used twice", () => {
    expect(diagnostics("name: My_Stack\n")[0]).toMatchObject({ code: "schema/value", line: 1, column: 7 });
    expect(diagnostics("name: s\nservices:\n  Web: { run: x }\n")).toEqual([
      { code: "schema/name", line: 3, column: 3, message: '"Web" is not a valid service name' },
    ]);
    const [d] = analyzeText("name: s\nservices:\n  a: { run: x }\nresources:\n  a: { type: bucket }\n").diagnostics;
    expect([d?.code, d?.line]).toEqual(["schema/name", 5]);
    expect(diagnostics("name: s\nenvironments:\n  Bad_Env: {}\n")[0]?.code).toBe("schema/name");
  });

  it("reports a typo in a resource type with did you mean", () => {
    expect(diagnostics("name: s\nresources:\n  db: { type: postgress, version: 15 }\n")).toEqual([
      {
        code: "schema/value",
        line: 3,
        column: 15,
        message: 'unknown type "postgress": did you mean "postgres"? (expected postgres, redis, bucket, table, external, static)',
      },
    ]);
  });

  it("validates keys inside the chosen resource type", () => {
    expect(diagnostics("name: s\nresources:\n  q: { type: postgres, replics: 2 }\n")[0]).toMatchObject({
      code: "schema/unknown-key",
      message: 'unknown key "replics": did you mean "replicas"?',
    });
  });

  it("validates environment overrides and points at the override's line", () => {
    const text = `name: s
services:
  a: { run: x, port: 3000 }
resources:
  q: { type: postgres }
environments:
  prod:
    services:
      a: { replicas: lots, helth: /x }
    resources:
      q: { storage: big }
    edge: { port: "x" }
    routes: [{ to: 1 }]
`;
    expect(diagnostics(text).map((d) => [d.code, d.line, d.message])).toEqual([
      ["schema/type", 9, 'expected number, got string "lots"'],
      ["schema/unknown-key", 9, 'unknown key "helth": did you mean "health"?'],
      ["schema/unit", 11, '"big" is not a size (use a number and a unit: 512Mi, 2Gi, 4GB, 200MB)'],
      ["schema/type", 12, 'expected number, got string "x"'],
      ["schema/type", 13, "expected string, got number 1"],
    ]);
  });

  it("accepts null in an override (it removes the key) and a changed resource field", () => {
    const text =
      "name: s\nservices:\n  a: { run: x, scale: { min: 1, max: 2 } }\nresources:\n  q: { type: postgres }\nenvironments:\n  local:\n    services: { a: { scale: null, replicas: 1 } }\n    resources: { q: { storage: 5GB } }\n";
    expect(diagnostics(text)).toEqual([]);
  });

  it("reports a whole file that is not a map", () => {
    expect(diagnostics("- a\n- b\n")).toEqual([{ code: "yaml/not-a-map", line: 1, column: 1, message: "the file holds a list, not a map of keys" }]);
    expect(diagnostics("just text\n")[0]?.code).toBe("yaml/not-a-map");
  });
});

describe("didYouMean", () => {
  it("finds close words and leaves far ones", () => {
    expect(didYouMean("servics", ["services", "jobs"])).toBe("services");
    expect(didYouMean("JOBS", ["services", "jobs"])).toBe("jobs");
    expect(didYouMean("xyzxyz", ["services", "jobs"])).toBeNull();
  });
});
