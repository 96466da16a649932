import { readFile } from "node:fs/promises";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exampleNames, examplePath, repoRoot } from "../test-support/index.js";
import { renderJsonSchema, renderReference } from "./json-schema.js";

const checkedIn = (path: string) => readFile(`${repoRoot}${path}`, "utf8");

async function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  return ajv.compile(JSON.parse(await checkedIn("schema/cairn.schema.json")));
}

describe("generated JSON Schema and reference", () => {
  it("schema/cairn.schema.json is what the schema produces (run `npm run schema` when this fails)", async () => {
    expect(renderJsonSchema()).toBe(await checkedIn("schema/cairn.schema.json"));
  });

  it("docs/reference.md is what the schema produces (run `npm run schema` when this fails)", async () => {
    expect(renderReference()).toBe(await checkedIn("docs/reference.md"));
  });

  it("documents every top-level key and each resource type", () => {
    const reference = renderReference();
    for (const key of ["services", "jobs", "resources", "routes", "edge", "secrets", "alarms", "environments", "extra_costs", "lint"])
      expect(reference).toContain(`| \`${key}\``);
    for (const type of ["postgres", "redis", "bucket", "table", "external", "static"]) expect(reference).toContain(`(type: ${type})`);
  });

  it("accepts every example file as an editor would read it", async () => {
    const validate = await validator();
    for (const name of exampleNames) {
      const ok = validate(parse(await readFile(examplePath(name), "utf8")));
      expect({ name, errors: ok ? null : validate.errors }).toEqual({ name, errors: null });
    }
  });

  it("rejects an unknown key, a wrong type and a missing name", async () => {
    const validate = await validator();
    expect(validate({ name: "s", servics: {} })).toBe(false);
    expect(validate.errors?.some((e) => e.keyword === "additionalProperties" && e.params.additionalProperty === "servics")).toBe(true);
    expect(validate({ name: "s", services: { web: { run: "x", helth: "/h" } } })).toBe(false);
    expect(validate({ name: "s", services: { web: { port: "80" } } })).toBe(false);
    expect(validate({ services: {} })).toBe(false);
    expect(validate({ name: "s", resources: { db: { type: "postgress" } } })).toBe(false);
    expect(validate({ name: "s", services: { web: { run: "x", port: 80 } } })).toBe(true);
  });
});
