import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureContext, exampleNames } from "../../test-support/index.js";
import { main } from "../main.js";

let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-check-"));
  await writeFile(join(dir, "warn.yaml"), "name: s\njobs:\n  nightly: { run: node job.js }\nenvironments:\n  local: {}\n  prod: { target: vm }\n");
  await writeFile(join(dir, "errors.yaml"), "name: s\nservics: {}\nservices:\n  web: { run: x, port: 70000 }\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const context = captureContext(dir);
  const code = await main(["check", ...argv], context);
  return { code, out: context.out(), err: context.err() };
}

describe("cairn check", () => {
  it("--json reports the file, counts, environments and positioned diagnostics", async () => {
    const { code, out } = await run("warn.yaml", "--json");
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(Object.keys(report)).toEqual(["file", "ok", "errors", "warnings", "environments", "diagnostics"]);
    expect(report).toMatchObject({ file: join(dir, "warn.yaml"), ok: true, errors: 0, warnings: 1 });
    expect(report.environments).toEqual([
      { name: "local", target: "local", region: "us-east-1", services: 0, jobs: 1, resources: 0 },
      { name: "prod", target: "vm", region: "us-east-1", services: 0, jobs: 1, resources: 0 },
    ]);
    expect(report.diagnostics).toEqual([
      {
        code: "lint/job-no-timeout",
        severity: "warning",
        message: 'job "nightly" has no timeout',
        hint: "Add `timeout: 30m` so a stuck run does not block the next ones.",
        file: join(dir, "warn.yaml"),
        line: 3,
        column: 3,
        endLine: 3,
        endColumn: 10,
        path: ["jobs", "nightly"],
        environments: ["local", "prod"],
      },
    ]);
  });

  it("--json with errors: ok false, exit 1, every error listed", async () => {
    const { code, out } = await run("errors.yaml", "--json");
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ ok: false, errors: 2, warnings: 0, environments: [] });
    expect(report.diagnostics.map((d: { code: string; line: number }) => [d.code, d.line])).toEqual([
      ["schema/unknown-key", 2],
      ["schema/value", 4],
    ]);
  });

  it("prints warnings and exits 0; --strict makes the same warnings fail", async () => {
    const loose = await run("warn.yaml");
    expect(loose.code).toBe(0);
    expect(loose.err).toContain("warn.yaml:3:3 warning lint/job-no-timeout [local, prod]");
    expect(loose.out).toContain("✓ warn.yaml: 0 services, 1 job, 0 resources, 0 routes; environments local (local), prod (vm), 0 errors, 1 warning");
    const strict = await run("warn.yaml", "--strict");
    expect(strict.code).toBe(1);
    expect(strict.err).toContain("✗ warn.yaml: 0 errors, 1 warning (--strict: warnings count)");
    expect(JSON.parse((await run("warn.yaml", "--strict", "--json")).out).ok).toBe(false);
  });

  it("prints every error with a caret and a summary, exit 1", async () => {
    const { code, err } = await run("errors.yaml");
    expect(code).toBe(1);
    expect(err).toContain('errors.yaml:2:1 error schema/unknown-key\n  unknown key "servics": did you mean "services"?\n   2 | servics: {}\n     | ^^^^^^^');
    expect(err).toContain("✗ errors.yaml: 2 errors, 0 warnings");
  });

  it("--env checks one environment, and names the declared ones when it does not exist", async () => {
    const one = JSON.parse((await run("warn.yaml", "--env", "prod", "--json")).out);
    expect(one.environments.map((e: { name: string }) => e.name)).toEqual(["prod"]);
    const missing = await run("warn.yaml", "--env", "staging");
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("env/unknown-part");
    expect(missing.err).toContain('no environment "staging"; the file declares local, prod');
  });

  it("checks ./cairn.yaml when given no file", async () => {
    const { code, err } = await run();
    expect(code).toBe(1);
    expect(err).toContain("is a folder without a cairn.yaml");
  });

  it.each(exampleNames)("examples/%s passes --strict", async (name) => {
    const context = captureContext();
    const code = await main(["check", `examples/${name}`, "--strict"], context);
    expect({ code, err: context.err() }).toEqual({ code: 0, err: "" });
    expect(context.out()).toMatch(new RegExp(`^✓ examples/${name}/cairn\\.yaml: `));
  });
});
