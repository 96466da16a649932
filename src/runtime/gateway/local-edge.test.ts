import { describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { notAppliedLocally } from "./local-edge.js";

describe("edge features the local gateway leaves to the build targets", () => {
  it("names each one the file asks for", () => {
    const stack = stackFrom("name: s\nservices:\n  a: { run: x, port: 1 }\nedge: { tls: auto, waf: [sqli, geo], geo_block: [RU], cdn: true, port: 8443 }\n");
    expect(notAppliedLocally(stack.edge)).toBe(
      "edge: not applied by the local gateway, applied by the build targets: TLS (auto): the local edge serves plain HTTP; waf (sqli, geo); geo_block (RU); cdn",
    );
  });

  it("says nothing when the local gateway does it all", () => {
    const stack = stackFrom("name: s\nservices:\n  a: { run: x, port: 1 }\nedge: { rate_limit: 10/s, allow: [10.0.0.0/8] }\n");
    expect(notAppliedLocally(stack.edge)).toBeNull();
  });
});
