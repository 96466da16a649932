import { describe, expect, it } from "vitest";
import { parseTemplate, referencedNames, renderTemplate } from "./references.js";

const names = {
  services: new Set(["api"]),
  resources: new Map([
    ["db", "postgres" as const],
    ["files", "bucket" as const],
  ]),
};
const parse = (value: string | number | boolean) => parseTemplate(value, names);

describe("parseTemplate", () => {
  it("splits text and references of every kind", () => {
    expect(parse("postgres://${db.host}:${db.port}/x?k=${secret.KEY}&d=${domain}&api=${api.url}").template).toEqual([
      { kind: "text", text: "postgres://" },
      { kind: "resource", name: "db", attr: "host" },
      { kind: "text", text: ":" },
      { kind: "resource", name: "db", attr: "port" },
      { kind: "text", text: "/x?k=" },
      { kind: "secret", name: "KEY" },
      { kind: "text", text: "&d=" },
      { kind: "var", name: "domain" },
      { kind: "text", text: "&api=" },
      { kind: "service", name: "api", attr: "url" },
    ]);
  });

  it("reads $${ as a literal ${ and merges it with the text around it", () => {
    expect(parse("a $${HOME} b")).toEqual({ template: [{ kind: "text", text: "a ${HOME} b" }], problems: [] });
    expect(parse("$${db.url}").template).toEqual([{ kind: "text", text: "${db.url}" }]);
  });

  it("turns numbers and booleans into text, and empty into no part", () => {
    expect(parse(5000).template).toEqual([{ kind: "text", text: "5000" }]);
    expect(parse(true).template).toEqual([{ kind: "text", text: "true" }]);
    expect(parse("").template).toEqual([]);
  });

  it("allows spaces inside the braces", () => {
    expect(parse("${ db.url }").template).toEqual([{ kind: "resource", name: "db", attr: "url" }]);
  });

  it("reports problems with codes, never throwing", () => {
    expect(parse("${db.url").problems.map((p) => p.code)).toEqual(["ref/syntax"]);
    expect(parse("${}").problems.map((p) => p.code)).toEqual(["ref/syntax"]);
    expect(parse("${db.}").problems.map((p) => p.code)).toEqual(["ref/syntax"]);
    expect(parse("${secret.A-B}").problems.map((p) => p.code)).toEqual(["ref/syntax"]);
    expect(parse("${nope.url}").problems.map((p) => p.code)).toEqual(["ref/unknown"]);
    expect(parse("${files.password}").problems.map((p) => p.code)).toEqual(["ref/attribute"]);
    expect(parse("${api.name}").problems.map((p) => p.code)).toEqual(["ref/attribute"]);
  });
});

describe("referencedNames and renderTemplate", () => {
  it("list referenced parts and secrets, and render with a target's syntax", () => {
    const { template } = parse("${db.url} ${secret.K} ${api.port}");
    expect(referencedNames(template)).toEqual({ parts: ["db", "api"], secrets: ["K"] });
    expect(renderTemplate(template, (p) => (p.kind === "secret" ? `<${p.name}>` : p.kind === "var" ? p.name : `{${p.name}.${p.attr}}`))).toBe(
      "{db.url} <K> {api.port}",
    );
  });
});
