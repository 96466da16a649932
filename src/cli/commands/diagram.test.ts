/**
 * `cairn diagram` and `cairn docs` from the command line: what they print and write, and bad input
 * (an unknown view, a view the environment's target lacks, an unsupported language or format, a
 * stack with errors) answered with a clear message and a non-zero exit, never a trace.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureContext, examplePath } from "../../test-support/index.js";
import { main } from "../main.js";
import { mayLayOut } from "./diagram.js";

async function run(args: string[], env: Record<string, string> = {}) {
  const context = captureContext(undefined, env);
  const code = await main(args, context);
  return { code, out: context.out(), err: context.err() };
}

const broken = join(mkdtempSync(join(tmpdir(), "cairn-diagram-")), "cairn.yaml");
writeFileSync(broken, "name: broken\nservices:\n  web: { run: node a.mjs, port: 3000, depends_on: [nowhere] }\n");

describe("cairn diagram", () => {
  it("starts the layout engine before parsing only when the arguments may lay a picture out", () => {
    expect(mayLayOut(["diagram", "examples/cityflow", "--view", "vm", "--out", "a.svg"])).toBe(true);
    expect(mayLayOut(["diagram", "--format", "png", "-o", "a.png"])).toBe(true);
    for (const argv of [["--format", "mermaid"], ["-fmermaid"], ["--format=Mermaid"], ["-o", "arch.mmd"], ["--out", "README.md"], ["--help"], ["-h"]])
      expect([argv, mayLayOut(["diagram", ...argv])]).toEqual([argv, false]);
  });

  it("prints the logical view as SVG, and the target's view when asked", async () => {
    const logical = await run(["diagram", examplePath("cityflow")]);
    expect(logical.code).toBe(0);
    expect(logical.out).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(logical.out).toContain("cityflow · mvp · logical view");
    const vm = await run(["diagram", examplePath("cityflow"), "--view", "vm", "--env", "recommended"]);
    expect(vm.out).toContain("EC2 t3.large");
  });

  it("writes Mermaid to a file named by --out, in French when asked", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "cairn-diagram-")), "arch.mmd");
    const r = await run(["diagram", examplePath("forestguard"), "--view", "aws", "--out", out, "--lang", "fr", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ environment: "production", view: "aws", format: "mermaid" });
    expect(readFileSync(out, "utf8")).toContain("Sous-réseaux publics");
  });

  it("names the views an environment has when asked for another", async () => {
    const r = await run(["diagram", examplePath("cityflow"), "--env", "mvp", "--view", "aws"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("environment mvp (target vm) has no aws view");
    expect(r.err).toContain("Views for mvp: logical, vm");
    const none = await run(["diagram", examplePath("cityflow"), "--view", "k8s"]);
    expect(none.err).toContain("no environment has target k8s");
  });

  it("refuses an unknown view, format or language with what is supported", async () => {
    expect((await run(["diagram", examplePath("minimal"), "--view", "3d"])).err).toContain("Views: logical, vm, aws, k8s.");
    expect((await run(["diagram", examplePath("minimal"), "--format", "gif"])).err).toContain("Formats: svg, png, mermaid.");
    const lang = await run(["diagram", examplePath("minimal"), "--lang", "de"]);
    expect(lang.code).toBe(2);
    expect(lang.err).toContain('language "de" is not supported');
    expect(lang.err).toContain("Languages: en, fr.");
  });

  it("needs a file for a PNG, and says what to install when no browser is there", async () => {
    expect((await run(["diagram", examplePath("minimal"), "--format", "png"])).err).toContain("--out is required");
    const r = await run(["diagram", examplePath("minimal"), "--out", join(tmpdir(), "x.png")], { CAIRN_CHROMIUM: "/nowhere/chromium" });
    expect(r.code).toBe(1);
    expect(r.err).toContain("no Chromium to render the PNG");
  });

  it("draws nothing for a stack with errors, and shows them as check does", async () => {
    const r = await run(["diagram", broken]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("nowhere");
    expect(r.err).toContain("the stack file has errors");
    expect(r.err).not.toContain("    at ");
  });
});

describe("cairn docs", () => {
  it("writes the Markdown guide of every phase with its diagrams beside it", async () => {
    const out = mkdtempSync(join(tmpdir(), "cairn-docs-"));
    const r = await run(["docs", examplePath("harena"), "--out", out, "--json"]);
    expect(r.code).toBe(0);
    const { files, environments } = JSON.parse(r.out) as { files: string[]; environments: string[] };
    expect(environments).toEqual(["local", "ec2", "fargate"]);
    expect(files[0]).toBe("harena.md");
    for (const f of files) expect(existsSync(join(out, f)), f).toBe(true);
    expect(files).toContain("harena-fargate-aws.svg");
  });

  it("writes one environment's guide as one HTML file, in French", async () => {
    const out = mkdtempSync(join(tmpdir(), "cairn-docs-"));
    const r = await run(["docs", examplePath("forestguard"), "--env", "production", "--lang", "fr", "--format", "html", "--out", out]);
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, "forestguard-production.fr.html"), "utf8");
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<(link|script|img)\b/);
  });

  it("refuses --env with --all, an unknown format or language, and a stack with errors", async () => {
    expect((await run(["docs", examplePath("minimal"), "--env", "local", "--all"])).err).toContain("--env and --all cannot go together");
    expect((await run(["docs", examplePath("minimal"), "--format", "pdf"])).err).toContain("Formats: md, html.");
    expect((await run(["docs", examplePath("minimal"), "--lang", "es"])).err).toContain("Languages: en, fr.");
    const r = await run(["docs", broken, "--out", mkdtempSync(join(tmpdir(), "cairn-docs-"))]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("the stack file has errors");
    expect((await run(["docs", examplePath("minimal"), "--env", "nope"])).code).toBe(1);
  });
});
