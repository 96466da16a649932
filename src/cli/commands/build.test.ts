/** `cairn build`: environment and output folder choice, summary, dry run, JSON, errors, and the writer. */
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { safePath, writeFiles } from "../../build/write.js";
import { captureContext, examplePath } from "../../test-support/index.js";
import { main } from "../main.js";

/** A copy of an example in a temporary folder, so that builds write there. */
function copyExample(name: "cityflow" | "harena" | "minimal"): string {
  const dir = mkdtempSync(join(tmpdir(), "cairn-build-"));
  cpSync(examplePath(name), join(dir, "cairn.yaml"));
  return dir;
}

describe("cairn build", () => {
  it("builds the first environment of the target into out/<env>-<target> and says where", async () => {
    const dir = copyExample("cityflow");
    const context = captureContext(dir);
    expect(await main(["build", "--target", "vm"], context)).toBe(0);
    expect(context.out()).toContain("vm for mvp: wrote");
    expect(context.out()).toContain("out/mvp-vm");
    expect(context.out()).toMatch(/install\.sh\s+\d/);
    expect(existsSync(join(dir, "out/mvp-vm/systemd/cityflow-api@.service"))).toBe(true);
    expect(statSync(join(dir, "out/mvp-vm/install.sh")).mode & 0o777).toBe(0o755);
  });

  it("--target aws on a vm environment says it built that machine's EC2 app, how to deploy it, and what hosts: names", async () => {
    const dir = copyExample("cityflow");
    const context = captureContext(dir);
    expect(await main(["build", "--target", "aws", "--env", "mvp"], context)).toBe(0);
    const out = context.out();
    expect(out).toContain("this is the CDK app of the EC2 machine of vm environment mvp (t3.medium");
    expect(out).toContain("    cd out/mvp-aws\n");
    expect(out).toContain("    npx cdk deploy --parameters KeyName=cityflow-mvp\n");
    expect(out).toContain("then name its Host output (admin@<Elastic IP>) in hosts: of mvp,");
    expect(out).toContain("`cairn deploy --env mvp`");
    expect(context.err()).not.toContain("built for aws anyway");
    for (const line of out.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
    const json = captureContext(dir);
    expect(await main(["build", "--target", "aws", "--env", "mvp", "--json"], json)).toBe(0);
    expect(JSON.parse(json.out()).next).toContain("  npx cdk deploy --parameters KeyName=cityflow-mvp");
  });

  it("the vm build warns that managed tables, buckets and the role come from --target aws, and says where the machine comes from", async () => {
    const dir = copyExample("cityflow");
    const context = captureContext(dir);
    expect(await main(["build", "--target", "vm", "--env", "mvp"], context)).toBe(0);
    expect(context.err()).toMatch(/metrics \(DynamoDB table\).* are managed AWS services/);
    expect(context.err()).toContain("`cairn build --target aws --env mvp` creates them, the role and the machine");
    expect(context.out()).toContain("no hosts: yet. `cairn build --target aws --env mvp` builds the CDK app that creates the machine");
    expect(context.out()).toContain("then `cairn deploy --env mvp`");
  });

  it("--env and --out choose the environment and folder", async () => {
    const dir = copyExample("cityflow");
    const context = captureContext(dir);
    expect(await main(["build", "-t", "vm", "--env", "recommended", "--out", "deploy"], context)).toBe(0);
    expect(readFileSync(join(dir, "deploy/README.md"), "utf8")).toContain("environment **recommended**");
  });

  it("--dry-run lists the files and writes nothing", async () => {
    const dir = copyExample("harena");
    const context = captureContext(dir);
    expect(await main(["build", "--target", "compose", "--dry-run"], context)).toBe(0);
    expect(context.out()).toContain("would write");
    expect(context.out()).toContain("compose.yaml");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("--json gives files, warnings and errors", async () => {
    const dir = copyExample("harena");
    const context = captureContext(dir);
    expect(await main(["build", "--target", "compose", "--json"], context)).toBe(0);
    const report = JSON.parse(context.out());
    expect(report).toMatchObject({ target: "compose", environment: "ec2", written: true });
    expect(report.files.map((f: { path: string }) => f.path)).toContain("compose.yaml");
    expect(report.warnings.map((w: { part: string }) => w.part)).toContain("resources.web.cdn");
  });

  it("prints warnings with what was generated instead", async () => {
    const context = captureContext(copyExample("harena"));
    await main(["build", "--target", "compose"], context);
    expect(context.err()).toContain("warning: resources.web.cdn");
    expect(context.err()).toContain("generated instead: nginx serves the files");
  });

  it("builds a file that declares no environment as written, for every target", async () => {
    const dir = copyExample("minimal");
    for (const target of ["vm", "compose", "k8s", "aws"]) {
      const context = captureContext(dir);
      expect([target, await main(["build", "--target", target, "--dry-run"], context)]).toEqual([target, 0]);
      expect(context.err()).not.toContain("error");
      expect(context.out()).toContain(`${target} for local: would write`);
    }
  });

  it("names the environments when none has the target", async () => {
    const context = captureContext(copyExample("cityflow"));
    expect(await main(["build", "--target", "k8s"], context)).toBe(1);
    expect(context.err()).toContain("no environment has target k8s");
    expect(context.err()).toContain("local (local), mvp (vm), recommended (vm)");
  });

  it("refuses an unknown environment, an unknown target and a missing --target", async () => {
    const dir = copyExample("cityflow");
    let context = captureContext(dir);
    expect(await main(["build", "--target", "vm", "--env", "staging"], context)).toBe(1);
    expect(context.err()).toContain('no environment "staging"');
    context = captureContext(dir);
    expect(await main(["build", "--target", "nomad"], context)).toBe(1);
    expect(context.err()).toContain('unknown target "nomad"');
    context = captureContext(dir);
    expect(await main(["build"], context)).toBe(1);
    expect(context.err()).toContain("--target is required");
  });

  it("stops on target errors with exit 1 and writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-build-"));
    writeFileSync(join(dir, "cairn.yaml"), "name: x\nservices:\n  web: { image: x/web:1, port: 3000 }\nenvironments:\n  prod: { target: vm }\n");
    const context = captureContext(dir);
    expect(await main(["build", "--target", "vm"], context)).toBe(1);
    expect(context.err()).toContain("error: services.web.run");
    expect(context.err()).toContain("nothing written");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe("the writer", () => {
  it("refuses paths that leave the output folder", () => {
    expect(() => safePath("/tmp/out", "../etc/passwd")).toThrow(/outside the output folder/);
    expect(() => safePath("/tmp/out", "/etc/passwd")).toThrow(/outside the output folder/);
    expect(() => safePath("/tmp/out", "a/../../b")).toThrow(/outside the output folder/);
    expect(safePath("/tmp/out", "a/b.txt")).toBe("/tmp/out/a/b.txt");
  });

  it("removes files a previous build wrote and this one no longer generates, and nothing else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-write-"));
    await writeFiles(dir, [
      { path: "a.txt", content: "a" },
      { path: "sub/b.txt", content: "b" },
    ]);
    writeFileSync(join(dir, "mine.txt"), "kept");
    const { removed } = await writeFiles(dir, [{ path: "a.txt", content: "a2" }]);
    expect(removed).toEqual(["sub/b.txt"]);
    expect(existsSync(join(dir, "sub/b.txt"))).toBe(false);
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("a2");
    expect(readFileSync(join(dir, "mine.txt"), "utf8")).toBe("kept");
  });
});
