/** The YAML writer: what it writes reads back the same with a real YAML parser. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { toYaml } from "./yaml.js";

describe("toYaml", () => {
  it("writes nested maps and lists that parse back to the same value", () => {
    const doc = {
      name: "shop",
      services: { web: { image: "a/b:1.0", environment: { URL: "${X:?X is not set}", N: "5", T: "true", E: "" }, ports: ["80:80"], deploy: { replicas: 2 } } },
      nested: [{ a: 1, b: [1, 2] }, [], {}, ["x", { y: null }]],
      volumes: { "db-data": {} },
    };
    expect(parse(toYaml(doc))).toEqual(doc);
  });

  it("round-trips any JSON-like document", () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(fc.string({ minLength: 1 }), tie("node"), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), value, { maxKeys: 4 }), (doc) => {
        expect(parse(toYaml(doc as never))).toEqual(doc);
      }),
      { numRuns: 300 },
    );
  });
});
