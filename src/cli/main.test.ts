import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { captureContext } from "../test-support/index.js";
import { main, VERSION } from "./main.js";

async function run(...argv: string[]) {
  const context = captureContext();
  const code = await main(argv, context);
  return { code, out: context.out(), err: context.err() };
}

describe("cairn", () => {
  it("prints its version and exits 0", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(VERSION).toBe(pkg.version);
    expect(await run("--version")).toEqual({ code: 0, out: `${pkg.version}\n`, err: "" });
  });

  it("lists check in --help, with its description", async () => {
    const { code, out } = await run("--help");
    expect(code).toBe(0);
    expect(out).toMatch(/check \[options\] \[file\]\s+validate a stack file/);
  });

  it("exits 2 on an unknown verb, suggesting the closest one, without a stack trace", async () => {
    const { code, err } = await run("chek");
    expect(code).toBe(2);
    expect(err).toContain("unknown command 'chek'");
    expect(err).toContain("(Did you mean check?)");
    expect(err).not.toContain("    at ");
  });

  it("exits 2 on an unknown option of check", async () => {
    const { code, err } = await run("check", "--nope");
    expect(code).toBe(2);
    expect(err).toContain("unknown option '--nope'");
  });
});
