import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../test-support/index.js";
import { messageFor, messages } from "./messages.js";

describe("the message table", () => {
  it("gives every code a severity matching its family, a title and a hint", () => {
    for (const [code, info] of Object.entries(messages)) {
      expect(info.severity).toBe(code.startsWith("lint/") ? "warning" : "error");
      expect(info.title.length).toBeGreaterThan(3);
      expect(info.hint.length).toBeGreaterThan(3);
    }
  });

  it("is documented code by code in docs/check.md, with the same severities", async () => {
    const doc = await readFile(`${repoRoot}docs/check.md`, "utf8");
    const documented = [...doc.matchAll(/^\| `([a-z-]+\/[a-z-]+)` +\| (error|warning) /gm)].map((m) => [m[1], m[2]]);
    expect(documented).toEqual(Object.entries(messages).map(([code, info]) => [code, info.severity]));
  });

  it("refuses an unknown code as an internal error", () => {
    expect(() => messageFor("nope/nope")).toThrow("internal: no message for diagnostic code nope/nope");
  });
});
