/**
 * The machine's CDK app is the code Cairn synthesizes with: the shipped sources match `cdk/ec2/`,
 * the written app run as `cdk synth` runs it gives the template Cairn wrote, CloudFormation's schema
 * finds nothing in it, and the first-boot script passes bash and shellcheck.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { exampleStack, repoRoot } from "../../test-support/index.js";
import { vmTarget } from "../vm/index.js";
import { EC2_CDK_SOURCES } from "./ec2-cdk-sources.js";
import { planEc2 } from "./ec2-plan.js";
import { awsTarget } from "./index.js";
import { synthesizeEc2 } from "./synth.js";
import { readEc2CdkSources } from "./write-ec2-cdk-sources.js";

const run = promisify(execFile);
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe("the machine's CDK app", () => {
  it("ships exactly the construct code in cdk/ec2/ (run write-ec2-cdk-sources.ts after changing it)", () => {
    expect(EC2_CDK_SOURCES).toEqual(readEc2CdkSources());
  });

  it("synthesizes, as `cdk synth` runs it, the template Cairn wrote", async () => {
    const out = awsTarget.generate(await exampleStack("forestguard", "mvp"), { outDir: "out/aws" });
    // Inside the repository, so the app finds aws-cdk-lib in its node_modules as after `npm install`.
    mkdirSync(join(repoRoot, "out"), { recursive: true });
    const folder = mkdtempSync(join(repoRoot, "out", "aws-ec2-app-"));
    folders.push(folder);
    for (const file of out.files) {
      mkdirSync(dirname(join(folder, file.path)), { recursive: true });
      writeFileSync(join(folder, file.path), file.content);
    }
    await run(join(repoRoot, "node_modules/.bin/tsx"), ["bin/app.ts"], {
      cwd: folder,
      env: {
        ...process.env,
        CDK_OUTDIR: join(folder, "cdk.out"),
        CDK_CONTEXT_JSON: JSON.stringify({ "aws:cdk:enable-path-metadata": false, "aws:cdk:enable-asset-metadata": false, "aws:cdk:version-reporting": false }),
        CDK_VALIDATION: "false",
      },
    });
    const synthesized = readFileSync(join(folder, "cdk.out", "forestguard-mvp.template.json"), "utf8");
    const written = readFileSync(join(folder, "cloudformation", "forestguard-mvp.template.json"), "utf8");
    expect(JSON.parse(synthesized)).toEqual(JSON.parse(written));
  }, 120_000);

  it("passes the CDK's CloudFormation validation; SSH open to any address is its one finding, as Cairn warns", async () => {
    expect(synthesizeEc2(planEc2(await exampleStack("cityflow", "mvp")).plan, { validate: true }).findings).toEqual([]);
    // ForestGuard's file names no admin address for SSH.
    const findings = synthesizeEc2(planEc2(await exampleStack("forestguard", "mvp")).plan, { validate: true }).findings;
    expect(findings.map((f) => `${f.rule} ${f.message}`)).toEqual([
      "W2508 SecurityGroupIngress: Security group allows 0.0.0.0/0 access to sensitive port 22 (range 22-22)",
      "W2508 SecurityGroupIngress: Security group allows ::/0 access to sensitive port 22 (range 22-22)",
    ]);
  }, 120_000);

  it("writes a first-boot script that bash parses and shellcheck passes, with a valid agent configuration", async () => {
    const { plan } = planEc2(await exampleStack("cityflow", "mvp"));
    const dir = mkdtempSync(join(tmpdir(), "cairn-user-data-"));
    folders.push(dir);
    const file = join(dir, "user-data.sh");
    writeFileSync(file, `#!/bin/bash\n${plan.userData.join("\n")}\n`);
    expect(spawnSync("bash", ["-n", file]).status).toBe(0);
    const check = spawnSync("shellcheck", ["-s", "bash", file], { encoding: "utf8" });
    expect(check.stdout).toBe("");
    const text = plan.userData.join("\n");
    const config = /amazon-cloudwatch-agent\.json <<'CAIRN'\n([\s\S]*?)\nCAIRN/.exec(text)?.[1] ?? "";
    expect(JSON.parse(config).logs.logs_collected.files.collect_list).toEqual([
      {
        file_path: "/var/log/cairn-cityflow/api.log",
        log_group_name: "/cityflow/api",
        log_stream_name: "{instance_id}",
        retention_in_days: 14,
        timezone: "UTC",
      },
      {
        file_path: "/var/log/cairn-cityflow/dashboard.log",
        log_group_name: "/cityflow/dashboard",
        log_stream_name: "{instance_id}",
        retention_in_days: 14,
        timezone: "UTC",
      },
      {
        file_path: "/var/log/cairn-cityflow/processor.log",
        log_group_name: "/cityflow/processor",
        log_stream_name: "{instance_id}",
        retention_in_days: 14,
        timezone: "UTC",
      },
      // Its error-rate alarm reads nginx's metrics log.
      {
        file_path: "/var/log/nginx/cityflow-metrics.log",
        log_group_name: "/cityflow/_edge",
        log_stream_name: "{instance_id}",
        retention_in_days: 14,
        timezone: "UTC",
      },
    ]);
    // One configuration: the first boot writes the file the vm target builds and `cairn deploy` installs.
    const vm = vmTarget.generate(await exampleStack("cityflow", "mvp"), {}).files.find((f) => f.path === "cloudwatch/amazon-cloudwatch-agent.json");
    expect(`${config}\n`).toBe(vm?.content);
    const rsyslog = /40-cairn-cityflow\.conf <<'CAIRN'\n([\s\S]*?)\nCAIRN/.exec(text)?.[1] ?? "";
    expect(`${rsyslog}\n`).toBe(vmTarget.generate(await exampleStack("cityflow", "mvp"), {}).files.find((f) => f.path === "cloudwatch/rsyslog.conf")?.content);
  });
});
