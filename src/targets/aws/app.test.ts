/**
 * The generated CDK app is the code Cairn synthesizes with: the shipped sources match `cdk/`, and
 * running the written app (as `cdk synth` would) gives the template Cairn wrote.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { exampleStack, repoRoot } from "../../test-support/index.js";
import { CDK_SOURCES } from "./cdk-sources.js";
import { awsTarget } from "./index.js";
import { readCdkSources } from "./write-cdk-sources.js";

const run = promisify(execFile);
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe("the generated CDK app", () => {
  it("ships exactly the construct code in cdk/ (run write-cdk-sources.ts after changing it)", () => {
    expect(CDK_SOURCES).toEqual(readCdkSources());
  });

  it("synthesizes, as `cdk synth` runs it, the template Cairn wrote", async () => {
    const out = awsTarget.generate(await exampleStack("harena", "fargate"), { outDir: "out/aws" });
    // Inside the repository, so the app finds aws-cdk-lib in its node_modules as after `npm install`.
    mkdirSync(join(repoRoot, "out"), { recursive: true });
    const folder = mkdtempSync(join(repoRoot, "out", "aws-app-"));
    folders.push(folder);
    for (const file of out.files) {
      mkdirSync(dirname(join(folder, file.path)), { recursive: true });
      writeFileSync(join(folder, file.path), file.content);
    }
    const cdk = JSON.parse(readFileSync(join(folder, "cdk.json"), "utf8"));
    expect(cdk.app).toBe("npx tsx bin/app.ts");
    await run(join(repoRoot, "node_modules/.bin/tsx"), ["bin/app.ts"], {
      cwd: folder,
      env: {
        ...process.env,
        CDK_OUTDIR: join(folder, "cdk.out"),
        // What the CDK CLI passes from cdk.json; its built-in validation is tested elsewhere.
        CDK_CONTEXT_JSON: JSON.stringify({ "aws:cdk:enable-path-metadata": false, "aws:cdk:enable-asset-metadata": false, "aws:cdk:version-reporting": false }),
        CDK_VALIDATION: "false",
      },
    });
    const synthesized = readFileSync(join(folder, "cdk.out", "harena-fargate.template.json"), "utf8");
    const written = readFileSync(join(folder, "cloudformation", "harena-fargate.template.json"), "utf8");
    expect(JSON.parse(synthesized)).toEqual(JSON.parse(written));
  });
});
