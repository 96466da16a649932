/**
 * Daily metrics, computed incrementally: rows are added chunk by chunk and only running totals are kept,
 * so memory grows with the number of counting points, never with the number of rows.
 * Definitions are in docs/demo.md; every metric is a pure function of the raw rows and the date.
 */
import { splitLine } from "./csv.mjs";
import { localDateHour } from "./dates.mjs";

/** The metric types, in the order they are shown and written. */
export const METRIC_TYPES = ["traffic", "bikes", "comptages", "chantiers"];

/** Columns each kind of raw file must have (others are ignored). */
export const REQUIRED_COLUMNS = {
  traffic: ["iu_ac", "libelle", "t_1h", "q", "k", "etat_trafic"],
  bikes: ["nom_compteur", "sum_counts", "date"],
  chantiers: ["cp_arrondissement", "date_debut", "date_fin", "impact_circulation"],
};

const NUMBER = /^-?\d+(\.\d+)?$/;
/** A measurement as a number, or null when the export left it empty or unreadable. */
const measure = (text) => {
  const t = (text ?? "").trim();
  return NUMBER.test(t) ? Number(t) : null;
};
const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The key with the largest value; ties go to the smallest key, so the answer never depends on row order. */
function argmax(map) {
  let best = null;
  for (const [key, value] of map) if (best === null || value > best[1] || (value === best[1] && key < best[0])) best = [key, value];
  return best ?? [null, 0];
}
/**
 * A copy of a string that holds no reference to the text it was cut from: V8 keeps a sliced string's
 * whole parent alive, so a key kept from a line would pin the 64 KB read buffer it came from.
 */
const own = (text) => (text.length > 12 ? Buffer.from(text, "utf8").toString("utf8") : text);
const add = (map, key, amount) => {
  const current = map.get(key);
  map.set(current === undefined ? own(key) : key, (current ?? 0) + amount);
};
const remember = (set, key) => {
  if (!set.has(key)) set.add(own(key));
};

/** Running totals for one day; `add(kind, rows)` takes rows of `traffic`, `bikes` or `chantiers` files. */
export function createDay(date) {
  const traffic = { rows: 0, flow: 0, occupancySum: 0, occupancyCount: 0, saturated: 0, byHour: new Map(), byPoint: new Map() };
  const points = { seen: new Set(), reporting: new Set(), hours: new Set(), missing: 0 };
  const bikes = { total: 0, byHour: new Map(), byCounter: new Map() };
  const works = { active: 0, closures: 0, starting: 0, ending: 0, byDistrict: new Map() };

  function addTraffic(row, c) {
    const { date: d, hour } = localDateHour(row[c.t_1h] ?? "");
    if (d !== date) return;
    traffic.rows++;
    remember(points.seen, row[c.iu_ac]);
    const q = measure(row[c.q]);
    const k = measure(row[c.k]);
    if (q === null) {
      points.missing++;
    } else {
      traffic.flow += q;
      add(traffic.byHour, hour, q);
      add(traffic.byPoint, row[c.libelle], q);
      remember(points.reporting, row[c.iu_ac]);
      points.hours.add(hour); // a number
    }
    if (k !== null) {
      traffic.occupancySum += k;
      traffic.occupancyCount++;
    }
    if (row[c.etat_trafic] === "Saturé") traffic.saturated++;
  }

  function addBike(row, c) {
    const { date: d, hour } = localDateHour(row[c.date] ?? "");
    const count = measure(row[c.sum_counts]);
    if (d !== date || count === null) return;
    bikes.total += count;
    add(bikes.byHour, hour, count);
    add(bikes.byCounter, row[c.nom_compteur], count);
  }

  function addRoadwork(row, c) {
    const start = (row[c.date_debut] ?? "").slice(0, 10);
    const end = (row[c.date_fin] ?? "").slice(0, 10);
    if (!(start <= date && date <= end)) return;
    works.active++;
    add(works.byDistrict, row[c.cp_arrondissement], 1);
    if (row[c.impact_circulation] === "BARRAGE_TOTAL") works.closures++;
    if (start === date) works.starting++;
    if (end === date) works.ending++;
  }

  const adders = { traffic: addTraffic, bikes: addBike, chantiers: addRoadwork };

  return {
    /** Adds a chunk (`{ columns, lines, separator }`, as `readRowChunks` yields) read from a file of the given kind. */
    add(kind, { columns, lines, separator }) {
      const fn = adders[kind];
      for (const line of lines) fn(splitLine(line, separator), columns);
    },
    /** The four metrics of the day: `{ metric_type, date, value, unit, values }`. */
    results() {
      const [peakHour, peakFlow] = argmax(traffic.byHour);
      const [busiestPoint, busiestFlow] = argmax(traffic.byPoint);
      const [bikePeakHour, bikePeakCount] = argmax(bikes.byHour);
      const [busiestCounter, busiestCount] = argmax(bikes.byCounter);
      const expected = points.seen.size * 24;
      const byDistrict = Object.fromEntries([...works.byDistrict].sort(([a], [b]) => (a < b ? -1 : 1)));
      return [
        metric("traffic", date, traffic.flow, "vehicles", {
          total_flow: traffic.flow,
          mean_occupancy: traffic.occupancyCount ? round(traffic.occupancySum / traffic.occupancyCount, 2) : null,
          peak_hour: peakHour,
          peak_hour_flow: peakFlow,
          busiest_point: busiestPoint,
          busiest_point_flow: busiestFlow,
          saturated_measurements: traffic.saturated,
          rows: traffic.rows,
        }),
        metric("bikes", date, bikes.total, "bicycles", {
          total_count: bikes.total,
          counters: bikes.byCounter.size,
          busiest_counter: busiestCounter,
          busiest_counter_count: busiestCount,
          peak_hour: bikePeakHour,
          peak_hour_count: bikePeakCount,
        }),
        metric("comptages", date, points.reporting.size, "counting points", {
          points_reporting: points.reporting.size,
          points_known: points.seen.size,
          bike_counters_reporting: bikes.byCounter.size,
          hours_covered: points.hours.size,
          missing_measurements: points.missing,
          completeness_pct: expected ? round(((traffic.rows - points.missing) / expected) * 100, 1) : null,
        }),
        metric("chantiers", date, works.active, "roadworks", {
          active: works.active,
          road_closures: works.closures,
          starting: works.starting,
          ending: works.ending,
          by_district: byDistrict,
        }),
      ];
    },
  };
}

function metric(metric_type, date, value, unit, values) {
  return { metric_type, date, value, unit, values };
}
