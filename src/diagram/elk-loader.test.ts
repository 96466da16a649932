/**
 * elkjs's code cache: written after a first layout, used by the next run, replaced when it is damaged,
 * and never in the way when it cannot be read or written.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadElk } from "./elk-loader.js";

const GRAPH = {
  id: "root",
  layoutOptions: { "elk.algorithm": "layered" },
  children: [
    { id: "a", width: 50, height: 20 },
    { id: "b", width: 50, height: 20 },
  ],
  edges: [{ id: "e", sources: ["a"], targets: ["b"] }],
};

async function laysOut(env: Record<string, string>): Promise<ReturnType<typeof loadElk>> {
  const loaded = loadElk(env);
  const result = await loaded.elk.layout(structuredClone(GRAPH));
  expect(result.children?.map((c) => c.x)).toEqual([expect.any(Number), expect.any(Number)]);
  return loaded;
}

/**
 * A layout in a new process, as `cairn` runs: within one process V8 reuses what it compiled already
 * and never looks at the cache again.
 */
function layOutInNewProcess(home: string): void {
  const loader = new URL("./elk-loader.ts", import.meta.url).pathname;
  const script = `const { loadElk } = await import(${JSON.stringify(loader)});
const loaded = loadElk({ XDG_CACHE_HOME: ${JSON.stringify(home)} });
const r = await loaded.elk.layout(${JSON.stringify(GRAPH)});
loaded.save();
if (r.children.length !== 2) process.exit(3);`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
}

describe("elkjs code cache", () => {
  it("is written after the first layout, then used as it is", async () => {
    const home = mkdtempSync(join(tmpdir(), "cairn-cache-"));
    (await laysOut({ XDG_CACHE_HOME: home })).save();
    const [file] = readdirSync(join(home, "cairn"));
    expect(file).toMatch(/^elkjs-[\d.]+-node-v[\d.]+-\w+-.+\.v8cache$/);
    const path = join(home, "cairn", file ?? "");
    const first = statSync(path);
    expect(first.size).toBeGreaterThan(100_000);
    (await laysOut({ XDG_CACHE_HOME: home })).save();
    // A cache V8 accepted is not written again.
    expect(statSync(path).mtimeMs).toBe(first.mtimeMs);
  });

  it("replaces a damaged cache", async () => {
    const home = mkdtempSync(join(tmpdir(), "cairn-cache-"));
    (await laysOut({ XDG_CACHE_HOME: home })).save();
    const [file] = readdirSync(join(home, "cairn"));
    const path = join(home, "cairn", file ?? "");
    writeFileSync(path, Buffer.from("not a code cache"));
    layOutInNewProcess(home);
    expect(readFileSync(path).length).toBeGreaterThan(100_000);
    // And the next process starts from the new one.
    const written = statSync(path).mtimeMs;
    layOutInNewProcess(home);
    expect(statSync(path).mtimeMs).toBe(written);
  });

  it("overwrites the half-written file a stopped process left, and leaves no other", async () => {
    const home = mkdtempSync(join(tmpdir(), "cairn-cache-"));
    (await laysOut({ XDG_CACHE_HOME: home })).save();
    const [file = ""] = readdirSync(join(home, "cairn"));
    const path = join(home, "cairn", file);
    rmSync(path);
    writeFileSync(`${path}.tmp`, Buffer.from("half a cache"));
    (await laysOut({ XDG_CACHE_HOME: home })).save();
    expect(readdirSync(join(home, "cairn"))).toEqual([file]);
    expect(statSync(path).size).toBeGreaterThan(100_000);
  });

  it("works when the cache folder cannot be made", async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), "cairn-cache-")), "a-file");
    writeFileSync(blocker, "");
    const loaded = await laysOut({ XDG_CACHE_HOME: blocker });
    expect(() => loaded.save()).not.toThrow();
    expect(statSync(blocker).isFile()).toBe(true);
  });
});
