/**
 * The processor's metrics for a day equal numbers computed here, independently, from the raw rows of the
 * committed sample data (a plain whole-file read and a separate quote-aware split).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expected, type Metric, node, RAW } from "./support.js";

async function processed(date: string, env: Record<string, string> = {}): Promise<Record<string, Metric>> {
  const result = await node(["app/processor.mjs", date, "--raw-dir", RAW, "--print"], env);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const out = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as { metrics: Metric[] };
  return Object.fromEntries(out.metrics.map((m) => [m.metric_type, m]));
}

describe("cityflow processor metrics", () => {
  for (const date of ["2025-11-04", "2025-11-05", "2025-11-08"]) {
    it(`match an independent computation from the raw rows for ${date}`, async () => {
      const got = await processed(date);
      const want = expected(date);
      expect(Object.keys(got)).toEqual(["traffic", "bikes", "comptages", "chantiers"]);
      for (const [type, values] of Object.entries(want)) expect(got[type]?.values, type).toMatchObject(values);
      expect(got.traffic?.value).toBe(want.traffic.total_flow);
      expect(got.chantiers?.value).toBe(want.chantiers.active);
      expect(want.traffic.rows).toBeGreaterThan(1000);
    });
  }

  it("gives the same metrics whatever the chunk size", async () => {
    const small = await processed("2025-11-05", { CHUNK_ROWS: "7" });
    const large = await processed("2025-11-05", { CHUNK_ROWS: "100000" });
    expect(small).toEqual(large);
  });

  it("shows a day with a counter down: fewer points reporting than known", async () => {
    const got = await processed("2025-11-05");
    expect(got.comptages?.values.points_reporting).toBe(Number(got.comptages?.values.points_known) - 1);
  });

  it("prints zeros for a day without data, and writes nothing for it", async () => {
    const got = await processed("2024-01-01");
    expect(got.traffic?.value).toBe(0);
    expect(got.chantiers?.value).toBe(0);
    // Store variables point at a closed port: the run succeeds only because it writes nothing.
    const dead = "http://127.0.0.1:9";
    const env = { METRICS_TABLE: "m", REPORTS_BUCKET: "r", REPORT_INDEX_TABLE: "i", S3_ENDPOINT: dead, DYNAMODB_ENDPOINT: dead };
    const result = await node(["app/processor.mjs", "2024-01-01", "--raw-dir", RAW], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("2024-01-01: no traffic or bike counts for this day in the raw files; nothing written");
  });

  it("processes a range of dates in turn", async () => {
    const result = await node(["app/processor.mjs", "2025-11-03..2025-11-05", "2025-11-09", "--raw-dir", RAW, "--print"]);
    expect(result.code).toBe(0);
    const days = result.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => (JSON.parse(l) as { date: string }).date);
    expect(days).toEqual(["2025-11-03", "2025-11-04", "2025-11-05", "2025-11-09"]);
    const backwards = await node(["app/processor.mjs", "2025-11-05..2025-11-03", "--raw-dir", RAW, "--print"]);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain("ends before it starts");
  });

  it("names the file and the missing column of a raw file it cannot read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cityflow-bad-"));
    try {
      mkdirSync(join(dir, "traffic"));
      writeFileSync(join(dir, "traffic/export.csv"), "iu_ac;libelle;t_1h;k\n1;A;2025-11-04T08:00:00+01:00;3.5\n");
      const result = await node(["app/processor.mjs", "2025-11-04", "--raw-dir", dir, "--print"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("DataError: traffic/export.csv has no column q, etat_trafic");
      expect(result.stderr).not.toContain("    at ");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a malformed date, a bad CHUNK_ROWS and missing store variables with a message", async () => {
    const badDate = await node(["app/processor.mjs", "2025-02-30", "--raw-dir", RAW, "--print"]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('"2025-02-30" is not a date');
    const badChunk = await node(["app/processor.mjs", "2025-11-04", "--raw-dir", RAW, "--print"], { CHUNK_ROWS: "many" });
    expect(badChunk.code).toBe(2);
    expect(badChunk.stderr).toContain("CHUNK_ROWS must be a positive whole number");
    const noEnv = await node(["app/processor.mjs", "2025-11-04"]);
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toContain("missing variables METRICS_TABLE, REPORTS_BUCKET, REPORT_INDEX_TABLE");
    expect(noEnv.stderr).not.toContain("    at ");
  });
});
