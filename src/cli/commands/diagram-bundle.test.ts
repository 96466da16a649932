/**
 * The build's one-file `cairn diagram` (scripts/bundle-diagram.ts), made here from the sources: it
 * draws every example's views byte for byte as the modules do, holds zod, leaves playwright-core to
 * `--format png`, loaded only then, and shares main.ts's UserError (a copy would turn every user
 * mistake into an "internal error").
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { bundleDiagram } from "../../../scripts/bundle-diagram.js";

const CASES = [
  ["mangetamain", "production", "vm"],
  ["cityflow", "mvp", "vm"],
  ["harena", "fargate", "aws"],
  ["forestguard", "production", "aws"],
] as const;

describe("the one-file cairn diagram", () => {
  it("draws what the modules draw, with zod inside and playwright-core left to --format png", async () => {
    // Under node_modules, so that the packages left outside resolve from it as they do from dist/.
    const cache = fileURLToPath(new URL("../../../node_modules/.cache/", import.meta.url));
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, "cairn-bundle-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, "diagram-run.bundle.mjs");
    await bundleDiagram(fileURLToPath(new URL("./diagram-run.ts", import.meta.url)), outfile);
    const text = readFileSync(outfile, "utf8");
    expect(text).not.toMatch(/from "zod"/);
    expect(text).not.toMatch(/from "playwright-core"/);
    expect(text).toMatch(/await import\("[./]+[^"]*\/diagram\/png\.js"\)/);

    const broken = join(dir, "cairn.yaml");
    writeFileSync(broken, "name: broken\nservices:\n  web: { run: node a.mjs, port: 3000, depends_on: [nowhere] }\n");
    const url = (file: string) => JSON.stringify(pathToFileURL(file).href);
    const script = `const bundle = await import(${url(outfile)});
const modules = await import(${url(fileURLToPath(new URL("./diagram-run.ts", import.meta.url)))});
const { captureContext, examplePath } = await import(${url(fileURLToPath(new URL("../../test-support/index.ts", import.meta.url)))});
const lines = [];
for (const [example, env, target] of ${JSON.stringify(CASES)})
  for (const view of ["logical", target]) {
    const outs = [];
    for (const run of [bundle, modules]) {
      const context = captureContext();
      const code = await run.diagramCommand(examplePath(example), { env, view }, context);
      outs.push(code + " " + context.out());
    }
    lines.push(example + " " + view + " " + (outs[0] === outs[1] && outs[0].startsWith("0 <svg") ? "same" : "differs"));
  }
// One UserError for the bundle and main.ts, which tells a user's mistake from a bug by instanceof.
const { UserError } = await import(${url(fileURLToPath(new URL("../context.ts", import.meta.url)))});
try {
  await bundle.diagramCommand(${JSON.stringify(broken)}, {}, captureContext());
  lines.push("drew a broken stack");
} catch (error) {
  lines.push(error instanceof UserError ? "broken stack: user error" : "broken stack: " + String(error));
}
process.stdout.write(lines.join("\\n"));`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")).toEqual([
      ...CASES.flatMap(([example, , target]) => [`${example} logical same`, `${example} ${target} same`]),
      "broken stack: user error",
    ]);
  });
});
