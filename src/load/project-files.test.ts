import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../cli/main.js";
import { captureContext } from "../test-support/index.js";
import { loadStack } from "./load.js";

let dir = "";
const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.org", "-c", "user.name=t", ...args], { cwd: dir, stdio: "pipe" });
const STACK = 'name: s\nsecrets: [TOKEN]\nservices:\n  a: { run: node a.js, env: { TOKEN: "${secret.TOKEN}" } }\n';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-project-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const codes = async () => (await loadStack(join(dir, "cairn.yaml"), dir)).diagnostics.map((d) => d.code);

describe("folders through symbolic links", () => {
  it("refuses a seed or dir whose real path leaves the project, at its value", async () => {
    const outside = await mkdtemp(join(tmpdir(), "cairn-outside-"));
    try {
      await symlink(outside, join(dir, "data"));
      await mkdir(join(dir, "public"));
      await writeFile(join(dir, "cairn.yaml"), "name: s\nresources:\n  files: { type: bucket, seed: data }\n  site: { type: static, dir: public }\n");
      const analysis = await loadStack(join(dir, "cairn.yaml"), dir);
      expect(analysis.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([["path/outside-project", 3, 32]]);
      expect(analysis.diagnostics[0]?.message).toContain("through a symbolic link");
      expect(analysis.stacks.size).toBe(0);
      // Allowed explicitly: only the lint remains.
      await writeFile(join(dir, "cairn.yaml"), "name: s\nresources:\n  files: { type: bucket, seed: data, outside_project: true }\n");
      expect(await codes()).toEqual(["lint/outside-project"]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("accepts a symbolic link that stays inside, and a folder not made yet", async () => {
    await mkdir(join(dir, "real"));
    await symlink(join(dir, "real"), join(dir, "data"));
    await writeFile(join(dir, "cairn.yaml"), "name: s\nresources:\n  files: { type: bucket, seed: data }\n  site: { type: static, dir: dist }\n");
    expect(await codes()).toEqual([]);
  });
});

describe(".env and git (a real repository)", () => {
  beforeEach(async () => {
    await writeFile(join(dir, "cairn.yaml"), STACK);
    await writeFile(join(dir, ".env"), "TOKEN=canary-value\n");
  });

  it("says nothing outside a git work tree", async () => {
    expect(await codes()).toEqual([]);
  });

  it("warns when .env is neither ignored nor tracked, never showing its values", async () => {
    git("init", "-q");
    const analysis = await loadStack(join(dir, "cairn.yaml"), dir);
    expect(analysis.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([
      ["lint/dotenv-not-ignored", join(dir, ".env"), ".env (TOKEN) is not ignored by git: `git add .` would commit it"],
    ]);
    expect(analysis.stacks.size).toBe(1);
  });

  it("says nothing once .gitignore ignores it", async () => {
    git("init", "-q");
    await writeFile(join(dir, ".gitignore"), ".env\n");
    expect(await codes()).toEqual([]);
  });

  it("warns when it is tracked, even if ignored afterwards", async () => {
    git("init", "-q");
    git("add", ".env");
    git("commit", "-qm", "oops");
    await writeFile(join(dir, ".gitignore"), ".env\n");
    const [d] = (await loadStack(join(dir, "cairn.yaml"), dir)).diagnostics;
    expect(d?.message).toBe(".env (TOKEN) is tracked by git: its secrets are in the repository's history");
  });

  it("is printed by cairn check, and counts under --strict", async () => {
    git("init", "-q");
    const context = captureContext(dir);
    expect(await main(["check", "cairn.yaml"], context)).toBe(0);
    expect(context.err()).toContain("lint/dotenv-not-ignored");
    expect(context.out() + context.err()).not.toContain("canary-value");
    const strict = captureContext(dir);
    expect(await main(["check", "cairn.yaml", "--strict"], strict)).toBe(1);
  });
});
