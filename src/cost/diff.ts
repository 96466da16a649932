/** What changes between two priced options (two files, or two environments), line by line. Pure. */
import { cents } from "./lines.js";
import type { CostLine, OptionCost } from "./types.js";

export interface DiffRow {
  readonly service: string;
  readonly before: string | null;
  readonly after: string | null;
  readonly beforeMonthly: number;
  readonly afterMonthly: number;
  readonly delta: number;
}

export interface CostDiff {
  readonly before: { readonly environment: string; readonly option: string; readonly total: number };
  readonly after: { readonly environment: string; readonly option: string; readonly total: number };
  /** Changed, added and removed lines; unchanged ones are left out. */
  readonly rows: readonly DiffRow[];
  readonly delta: number;
  /** Change relative to the first total, in percent (null when it was zero). */
  readonly percent: number | null;
}

/** Lines are matched by service, first component and unit, in order of appearance. */
function keyed(lines: readonly CostLine[]): Map<string, CostLine> {
  const map = new Map<string, CostLine>();
  for (const l of lines) {
    const base = `${l.service}|${l.components[0] ?? ""}|${l.unit}`;
    let n = 0;
    while (map.has(`${base}|${n}`)) n++;
    map.set(`${base}|${n}`, l);
  }
  return map;
}

/** The difference from `a` to `b`. */
export function diffCosts(a: OptionCost, b: OptionCost): CostDiff {
  const before = keyed(a.lines);
  const after = keyed(b.lines);
  const rows: DiffRow[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(key);
    const y = after.get(key);
    const beforeMonthly = x?.monthly ?? 0;
    const afterMonthly = y?.monthly ?? 0;
    if (x && y && x.item === y.item && beforeMonthly === afterMonthly) continue;
    rows.push({
      service: (y ?? x)?.service ?? "",
      before: x?.item ?? null,
      after: y?.item ?? null,
      beforeMonthly,
      afterMonthly,
      delta: cents(afterMonthly - beforeMonthly),
    });
  }
  const delta = cents(b.total - a.total);
  return {
    before: { environment: a.environment, option: a.option, total: a.total },
    after: { environment: b.environment, option: b.option, total: b.total },
    rows,
    delta,
    percent: a.total === 0 ? null : Math.round((delta / a.total) * 1000) / 10,
  };
}
