import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stackFrom } from "../test-support/index.js";
import { foldersOutside } from "./project-folder.js";

let dir = "";
let outside = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-folder-"));
  outside = await mkdtemp(join(tmpdir(), "cairn-elsewhere-"));
  await mkdir(join(dir, "inside"));
  await symlink(outside, join(dir, "link"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const stack = (body: string) => ({ ...stackFrom(`name: s\nresources:\n${body}`), root: dir });

describe("the runtime's check of seed and static folders", () => {
  it("refuses a symlink out of the project, or a path climbing out, even without cairn check", async () => {
    const found = await foldersOutside(stack("  files: { type: bucket, seed: link }\n  site: { type: static, dir: inside }\n"));
    expect(found.map((f) => [f.resource, f.path])).toEqual([["files", "link"]]);
    // A stack built without the file rules (an API user, a stale check): the runtime still says no.
    const climbing = stack("  files: { type: bucket, seed: inside }\n");
    const bucket = climbing.resources[0];
    if (bucket?.type !== "bucket") throw new Error("bucket expected");
    expect((await foldersOutside({ ...climbing, resources: [{ ...bucket, seed: "../../etc" }] })).map((f) => f.real)).toEqual([join(dir, "../../etc")]);
  });

  it("lets outside_project: true through", async () => {
    expect(await foldersOutside(stack("  files: { type: bucket, seed: link, outside_project: true }\n"))).toEqual([]);
  });
});
