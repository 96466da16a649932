/**
 * The layout worker: the same layout as elkjs in this thread (after its warm-up), elkjs's refusals
 * answered as errors, and a worker that stops mid-layout replaced by elkjs in this thread.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ElkNode } from "elkjs/lib/elk-api.js";
import { afterEach, describe, expect, it } from "vitest";
import { layoutGraph, startElk, stopElk } from "./elk-engine.js";
import { loadElk } from "./elk-loader.js";
import { ROOT_OPTIONS, warmUpGraph } from "./elk-options.js";

const graph = (): ElkNode => ({
  id: "root",
  layoutOptions: { "elk.algorithm": "layered", "elk.hierarchyHandling": "INCLUDE_CHILDREN", "elk.edgeRouting": "ORTHOGONAL" },
  children: [
    { id: "edge", width: 120, height: 46 },
    { id: "vpc", children: [{ id: "web", width: 140, height: 60 }], layoutOptions: { "elk.padding": "[top=44,left=14,bottom=14,right=14]" } },
    { id: "db", width: 120, height: 46 },
  ],
  edges: [
    { id: "a", sources: ["edge"], targets: ["web"] },
    { id: "b", sources: ["web"], targets: ["db"] },
  ],
});

afterEach(() => stopElk());

describe("the layout worker", () => {
  it("lays out exactly as elkjs in this thread", async () => {
    expect(startElk()).toBe(true);
    const inWorker = await layoutGraph(graph());
    const here = await loadElk().elk.layout(graph());
    // elkjs leaves its objects' hash codes ("$H", a counter per thread) in the graph: not geometry.
    const geometry = (g: ElkNode) => JSON.parse(JSON.stringify(g, (key, value) => (key === "$H" ? undefined : value)));
    expect(geometry(inWorker)).toEqual(geometry(here));
    expect(inWorker.children?.[1]?.width).toBeGreaterThan(140);
  });

  it("warms up on a graph elkjs accepts, drawn with every diagram's options", async () => {
    const warm = warmUpGraph();
    expect(warm.layoutOptions).toEqual(ROOT_OPTIONS);
    const done = await loadElk().elk.layout(warm);
    expect(done.children?.every((c) => typeof c.x === "number" && typeof c.y === "number")).toBe(true);
    expect(done.edges?.every((e) => (e as { sections?: unknown[] }).sections?.length === 1)).toBe(true);
    expect(warmUpGraph().children?.[0]?.x).toBeUndefined();
  });

  it("writes the code cache before its first answer, so a process that exits on its answer leaves it whole", () => {
    const home = mkdtempSync(join(tmpdir(), "cairn-worker-cache-"));
    const engine = new URL("./elk-engine.ts", import.meta.url).pathname;
    // As `cairn diagram` does: one layout, then the process ends at once.
    const script = `const { startElk, layoutGraph } = await import(${JSON.stringify(engine)});
startElk({ XDG_CACHE_HOME: ${JSON.stringify(home)} });
const done = await layoutGraph(${JSON.stringify(graph())});
process.exit(done.children.length === 3 ? 0 : 3);`;
    const run = () => spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
    const first = run();
    expect([first.status, first.stderr]).toEqual([0, ""]);
    const files = readdirSync(join(home, "cairn"));
    expect(files).toEqual([expect.stringMatching(/\.v8cache$/)]);
    const written = statSync(join(home, "cairn", files[0] ?? "")).mtimeMs;
    // The next process starts from it, and so does not write it again.
    expect(run().status).toBe(0);
    expect(statSync(join(home, "cairn", files[0] ?? "")).mtimeMs).toBe(written);
  });

  it("never keeps a process alive that lays nothing out (a stack with errors, a bad option)", () => {
    const engine = new URL("./elk-engine.ts", import.meta.url).pathname;
    const home = mkdtempSync(join(tmpdir(), "cairn-worker-idle-"));
    // Waits until the worker has warmed up (its code cache written), then lays nothing out.
    const script = `const { existsSync } = await import("node:fs");
const { startElk } = await import(${JSON.stringify(engine)});
if (!startElk({ XDG_CACHE_HOME: ${JSON.stringify(home)} })) process.exit(3);
const end = Date.now() + 30000;
while (!existsSync(${JSON.stringify(join(home, "cairn"))}) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));`;
    // The bound is for a broken build only: the process ends as soon as its script does.
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect([r.signal, r.status, r.stderr]).toEqual([null, 0, ""]);
  });

  it("answers elkjs's refusal of a graph as an error", async () => {
    startElk();
    const broken = { ...graph(), edges: [{ id: "x", sources: ["edge"], targets: ["nowhere"] }] };
    await expect(layoutGraph(broken)).rejects.toThrow(/nowhere/);
  });

  it("finishes a layout in this thread when the worker stops under it", async () => {
    startElk();
    const pending = layoutGraph(graph());
    await stopElk();
    const done = await pending;
    expect(done.children?.map((c) => c.id)).toEqual(["edge", "vpc", "db"]);
    expect(done.children?.every((c) => typeof c.x === "number")).toBe(true);
  });
});
