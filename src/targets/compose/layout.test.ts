/** The compose file, the README and the job timers agree on where the project and the output sit on the machine. */
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { composeTarget } from "./index.js";
import { composeLayout } from "./layout.js";

const FILE = `
name: shop
services:
  web: { run: node server.mjs, port: 3000 }
jobs:
  nightly: { run: node nightly.mjs, schedule: daily at 02:00 }
environments:
  prod: { target: compose }
`;
const stack = { ...stackFrom(FILE), root: "/home/dev/shop" };

describe("compose layout", () => {
  it.each([
    [undefined, "../..", "/opt/shop/out/prod-compose"],
    ["out/prod-compose", "../..", "/opt/shop/out/prod-compose"],
    ["deploy", "..", "/opt/shop/deploy"],
    ["ops/compose/prod", "../../..", "/opt/shop/ops/compose/prod"],
    ["/home/dev/shop/ops", "..", "/opt/shop/ops"],
  ])("output %s: the project is %s from %s", (out, project, deployDir) => {
    const layout = composeLayout(stack, out);
    expect(layout).toEqual({ project, deployDir, outside: false });
    // The relative path from the output on the machine leads to /opt/shop, where the README puts the project.
    expect(posix.join(layout.deployDir, layout.project)).toBe("/opt/shop");
  });

  it("an output outside the project is laid out as /opt/<stack>/deploy, with a note", () => {
    expect(composeLayout(stack, "/tmp/elsewhere")).toEqual({ project: "..", deployDir: "/opt/shop/deploy", outside: true });
    const out = composeTarget.generate(stack, { outDir: "/tmp/elsewhere" });
    expect(out.warnings).toContainEqual(expect.objectContaining({ part: "build --out", message: "the output folder is outside the project" }));
  });

  it("the README, the timers and the mounts name the same folders", () => {
    const out = composeTarget.generate(stack, { outDir: "ops/prod" });
    const text = (path: string) => out.files.find((f) => f.path === path)?.content ?? "";
    expect(text("README.md")).toContain("put the project in `/opt/shop` and this folder in `/opt/shop/ops/prod`");
    expect(text("systemd/shop-nightly.service")).toContain("WorkingDirectory=/opt/shop/ops/prod\n");
    expect(text("compose.yaml")).toContain('"../..:/app:ro"');
  });
});
