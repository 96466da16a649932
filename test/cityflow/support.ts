/** Helpers shared by the CityFlow tests: where the example lives and how to run its scripts. */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

// The SDK's notice that its releases after January 2027 need Node 22 is noise for the pinned versions.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export const EXAMPLE = resolve(import.meta.dirname, "../../examples/cityflow");
export const RAW = join(EXAMPLE, "data/raw");
export const ARTIFACTS = resolve(import.meta.dirname, "../../test-artifacts");

const run = promisify(execFile);

/** Runs a script of the example with node; resolves with its output and exit code, never rejects on a non-zero exit. */
export async function node(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: EXAMPLE, env: { PATH: process.env.PATH ?? "", ...env }, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

export interface Metric {
  metric_type: string;
  date: string;
  value: number;
  unit: string;
  values: Record<string, unknown>;
}

/** Splits a `;` line, honouring double quotes: written apart from the app's parser on purpose. */
function fields(line: string): string[] {
  const out: string[] = [];
  const re = /(?:^|;)(?:"((?:[^"]|"")*)"|([^;]*))/g;
  for (const m of line.matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? ""));
  return out;
}

function table(folder: string): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  for (const file of readdirSync(join(RAW, folder)).sort()) {
    const [head = "", ...lines] = readFileSync(join(RAW, folder, file), "utf8")
      .trim()
      .split("\n");
    const names = fields(head);
    for (const line of lines) rows.push(Object.fromEntries(fields(line).map((v, i) => [names[i], v])));
  }
  return rows;
}

/** The expected metrics of `date`, from the definitions in docs/demo.md. */
export function expected(date: string) {
  const traffic = table("traffic").filter((r) => r.t_1h?.startsWith(date));
  const measured = traffic.filter((r) => r.q !== "");
  const occupancies = traffic.filter((r) => r.k !== "").map((r) => Number(r.k));
  const flowByHour = new Map<number, number>();
  const flowByPoint = new Map<string, number>();
  for (const r of measured) {
    flowByHour.set(Number(r.t_1h?.slice(11, 13)), (flowByHour.get(Number(r.t_1h?.slice(11, 13))) ?? 0) + Number(r.q));
    flowByPoint.set(r.libelle ?? "", (flowByPoint.get(r.libelle ?? "") ?? 0) + Number(r.q));
  }
  const top = <K>(m: Map<K, number>) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  const bikes = table("bikes").filter((r) => r.date?.startsWith(date));
  const byCounter = new Map<string, number>();
  for (const r of bikes) byCounter.set(r.nom_compteur ?? "", (byCounter.get(r.nom_compteur ?? "") ?? 0) + Number(r.sum_counts));
  const works = table("chantiers").filter((r) => (r.date_debut ?? "") <= date && date <= (r.date_fin ?? ""));
  const districts: Record<string, number> = {};
  for (const w of works) districts[w.cp_arrondissement ?? ""] = (districts[w.cp_arrondissement ?? ""] ?? 0) + 1;
  const known = new Set(traffic.map((r) => r.iu_ac)).size;
  return {
    traffic: {
      total_flow: measured.reduce((s, r) => s + Number(r.q), 0),
      mean_occupancy: Math.round((occupancies.reduce((s, k) => s + k, 0) / occupancies.length) * 100) / 100,
      peak_hour: top(flowByHour)?.[0],
      busiest_point: top(flowByPoint)?.[0],
      rows: traffic.length,
    },
    bikes: { total_count: bikes.reduce((s, r) => s + Number(r.sum_counts), 0), counters: byCounter.size, busiest_counter: top(byCounter)?.[0] },
    comptages: {
      points_reporting: new Set(measured.map((r) => r.iu_ac)).size,
      points_known: known,
      hours_covered: new Set(measured.map((r) => r.t_1h?.slice(11, 13))).size,
      missing_measurements: traffic.length - measured.length,
      completeness_pct: Math.round((measured.length / (known * 24)) * 1000) / 10,
    },
    chantiers: { active: works.length, road_closures: works.filter((w) => w.impact_circulation === "BARRAGE_TOTAL").length, by_district: districts },
  };
}
