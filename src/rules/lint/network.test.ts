import { describe, expect, it } from "vitest";
import { analyzeText, codesOf, stackFrom } from "../../test-support/index.js";
import { publicDatastore, sshOpen } from "./network.js";

const withOpen = (open: string) => `name: s\nedge:\n  open:\n${open}`;

describe("lint/ssh-open", () => {
  it("warns when port 22 is open to every address, including by default", () => {
    expect(sshOpen.check(stackFrom(withOpen("    - { port: 22 }\n"))).map((f) => f.code)).toEqual(["lint/ssh-open"]);
    const [d] = analyzeText(withOpen("    - { port: 22, from: 0.0.0.0/0 }\n")).diagnostics;
    expect([d?.code, d?.severity, d?.line, d?.column]).toEqual(["lint/ssh-open", "warning", 4, 7]);
  });

  it("accepts SSH from one address", () => {
    expect(codesOf(withOpen("    - { port: 22, from: 198.51.100.7/32 }\n"))).toEqual([]);
  });
});

describe("lint/public-datastore", () => {
  it("warns on a database or cache port open to every address", () => {
    expect(codesOf(withOpen("    - { port: 5432, from: 0.0.0.0/0 }\n    - { port: 6379, from: '::/0' }\n"))).toEqual([
      "lint/public-datastore",
      "lint/public-datastore",
    ]);
  });

  it("warns on a route that exposes a database's port at the edge", () => {
    const text = "name: s\nservices:\n  pg: { run: postgres, port: 5432, health: /h }\nroutes:\n  - { path: /pg, to: pg }\n";
    expect(codesOf(text)).toEqual(["lint/public-datastore"]);
  });

  it("accepts a data store port open to a private network", () => {
    expect(publicDatastore.check(stackFrom(withOpen("    - { port: 5432, from: 10.0.0.0/8 }\n")))).toEqual([]);
  });
});
