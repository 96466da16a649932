import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { captureContext } from "../test-support/index.js";
import { UserError } from "./context.js";
import { loadStackOrFail } from "./load-or-fail.js";

const dir = mkdtempSync(join(tmpdir(), "cairn-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stackFile(name: string, environments: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `name: s\nservices:\n  web: { run: node web.js, port: 3000 }\nresources:\n  db: { type: postgres }\nenvironments:\n${environments}`);
  return file;
}

describe("loadStackOrFail (the environment local verbs run)", () => {
  it("without a local environment, runs the file as written on this machine, not the first cloud phase", async () => {
    const file = stackFile("cloud-only", "  mvp: { target: vm }\n  production: { target: aws }\n");
    const stack = await loadStackOrFail(file, captureContext(dir));
    expect(stack.environment).toMatchObject({ name: "local", target: "local" });
    expect(stack.resources[0]?.placement).toBe("local");
    expect((await loadStackOrFail(file, captureContext(dir), "local")).environment.target).toBe("local");
    expect((await loadStackOrFail(file, captureContext(dir), "production")).environment.target).toBe("aws");
  });

  it("picks the first environment whose target is local, whatever its name", async () => {
    const file = stackFile("dev", "  mvp: { target: vm }\n  dev: { target: local, services: { web: { replicas: 2 } } }\n");
    const stack = await loadStackOrFail(file, captureContext(dir));
    expect(stack.environment.name).toBe("dev");
    expect(stack.services[0]?.replicas).toBe(2);
  });

  it("an unknown environment is a user error naming the declared ones", async () => {
    const file = stackFile("unknown", "  mvp: { target: vm }\n");
    const context = captureContext(dir);
    await expect(loadStackOrFail(file, context, "staging")).rejects.toBeInstanceOf(UserError);
    expect(context.err()).toContain('no environment "staging"; the file declares mvp');
  });
});
