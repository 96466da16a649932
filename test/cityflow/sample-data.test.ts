/** The committed sample data is exactly what the seeded generator writes, and small enough to ship. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { node, RAW } from "./support.js";

const files = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();

describe("cityflow sample data", () => {
  const out = mkdtempSync(join(tmpdir(), "cityflow-data-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("is reproduced byte for byte by the generator", async () => {
    const result = await node(["scripts/generate-data.mjs", "--out", out]);
    expect(result.code).toBe(0);
    expect(files(out)).toEqual(files(RAW));
    for (const f of files(RAW)) expect(readFileSync(join(out, f)).equals(readFileSync(join(RAW, f))), f).toBe(true);
  });

  it("covers a week of three kinds of data in under 5 MB", () => {
    const list = files(RAW);
    expect(list.filter((f) => f.startsWith("traffic/"))).toHaveLength(7);
    expect(list.filter((f) => f.startsWith("bikes/"))).toHaveLength(7);
    expect(list).toContain("chantiers/chantiers-perturbants.csv");
    const total = list.reduce((s, f) => s + statSync(join(RAW, f)).size, 0);
    expect(total).toBeLessThan(5 * 1024 * 1024);
  });

  it("changes with the seed", async () => {
    const other = join(out, "other");
    await node(["scripts/generate-data.mjs", "--out", other, "--only", "traffic", "--days", "1", "--seed", "7"]);
    const mine = readFileSync(join(other, "traffic/comptages-routiers-permanents-2025-11-03.csv"));
    expect(mine.equals(readFileSync(join(RAW, "traffic/comptages-routiers-permanents-2025-11-03.csv")))).toBe(false);
  });
});
