#!/usr/bin/env node
/**
 * Writes CityFlow's sample data: CSV files shaped like Paris open data (hourly road-traffic counts,
 * bike counter hourly counts, roadworks). Seeded: the same options always write the same bytes.
 *
 *   node scripts/generate-data.mjs [--out DIR] [--start 2025-11-03] [--days 7] [--points 48]
 *        [--counters 30] [--roadworks 140] [--seed 20251103] [--only traffic|bikes|chantiers] [--single-file]
 *
 * Layout under DIR (the `raw` bucket's seed folder by default):
 *   traffic/comptages-routiers-permanents-<date>.csv   one file per day (with --single-file: one
 *                                                      comptages-routiers-permanents.csv for every day)
 *   bikes/comptage-velo-<date>.csv                     one file per day
 *   chantiers/chantiers-perturbants.csv                one file, every roadwork with its dates
 */
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { addDays, dateRange } from "../app/lib/dates.mjs";

const here = dirname(fileURLToPath(import.meta.url));

/** mulberry32: a small seeded generator, so the files never change between runs or machines. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STREETS = [
  ["Av_Champs_Elysees", 48.8698, 2.3075],
  ["Bd_de_Sebastopol", 48.8634, 2.3499],
  ["Quai_de_la_Rapee", 48.8445, 2.3702],
  ["Rue_de_Rivoli", 48.8606, 2.3376],
  ["Bd_Saint_Germain", 48.8534, 2.3378],
  ["Av_de_la_Grande_Armee", 48.8759, 2.2873],
  ["Bd_Haussmann", 48.8738, 2.332],
  ["Quai_d_Orsay", 48.8622, 2.3094],
  ["Bd_Voltaire", 48.8602, 2.3772],
  ["Av_Daumesnil", 48.8393, 2.3878],
  ["Bd_Peripherique_Ext", 48.8321, 2.2745],
  ["Rue_La_Fayette", 48.8767, 2.357],
  ["Av_du_Maine", 48.8361, 2.3213],
  ["Bd_de_Magenta", 48.8795, 2.3564],
  ["Av_Jean_Jaures", 48.8856, 2.3795],
  ["Rue_de_Vaugirard", 48.8431, 2.3046],
  ["Bd_Raspail", 48.8467, 2.3283],
  ["Av_d_Italie", 48.8223, 2.358],
  ["Quai_de_Bercy", 48.8369, 2.3786],
  ["Bd_de_Clichy", 48.8837, 2.3301],
  ["Av_de_Clichy", 48.8896, 2.3224],
  ["Rue_de_Rennes", 48.848, 2.3282],
  ["Bd_Diderot", 48.8468, 2.3815],
  ["Av_Foch", 48.8718, 2.2841],
];
const BIKE_PLACES = [
  "Totem 73 boulevard de Sébastopol",
  "89 boulevard de Magenta",
  "97 avenue Denfert Rochereau",
  "Quai d'Orsay",
  "Face au 48 quai de la marne",
  "Pont des Arts",
  "Totem Cours la Reine",
  "27 quai de la Tournelle",
  "Voie Georges Pompidou",
  "38 rue Turbigo",
  "Rue de Rivoli",
  "Pont Charles de Gaulle",
  "152 boulevard du Montparnasse",
  "Face au 25 quai de l'Oise",
  "Boulevard Voltaire",
  "20 Avenue de Clichy",
];
const DIRECTIONS = ["N-S", "S-N", "E-O", "O-E", "NO-SE", "SE-NO"];
const OWNERS = ["Ville de Paris - DVD", "RATP", "Enedis", "GRDF", "Eau de Paris", "SNCF Réseau", "CPCU", "Orange"];
const WORKS = [
  "Renouvellement de canalisation",
  "Réfection de chaussée",
  "Création de piste cyclable",
  "Raccordement électrique",
  "Travaux de voirie, reprise de trottoir",
  'Aménagement "Rue aux écoles"',
  "Renouvellement de conduite; reprise de chaussée",
  "Maintenance du réseau de chaleur",
  "Pose de fibre optique",
];
const IMPACTS = ["RESTREINTE", "RESTREINTE", "RESTREINTE", "SANS_IMPACT", "BARRAGE_TOTAL"];
const DISTRICTS = Array.from({ length: 20 }, (_, i) => String(75001 + i));

// Share of a point's daily capacity by hour: two commuting peaks on weekdays, a late, flat day at weekends.
const WEEKDAY = [0.12, 0.08, 0.06, 0.06, 0.09, 0.22, 0.55, 0.9, 1.0, 0.82, 0.7, 0.72, 0.75, 0.72, 0.7, 0.74, 0.85, 0.97, 1.0, 0.85, 0.62, 0.45, 0.32, 0.2];
const WEEKEND = [0.2, 0.16, 0.12, 0.08, 0.07, 0.09, 0.16, 0.28, 0.42, 0.55, 0.65, 0.72, 0.75, 0.74, 0.72, 0.72, 0.74, 0.75, 0.7, 0.6, 0.5, 0.42, 0.35, 0.26];

const isWeekend = (date) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
const hh = (h) => String(h).padStart(2, "0");
// November to March is CET (+01:00); the sample days all fall in it, and the bench only needs a valid offset.
const stamp = (date, hour) => `${date}T${hh(hour)}:00:00+01:00`;
const round = (x, digits) => Number(x.toFixed(digits));

/** Counting points of the permanent road-traffic counters. */
export function trafficPoints(count, rand) {
  return Array.from({ length: count }, (_, i) => {
    const [street, lat, lon] = STREETS[i % STREETS.length];
    const round_ = Math.floor(i / STREETS.length);
    return {
      id: String(4000 + i * 7 + Math.floor(rand() * 5)),
      name: round_ === 0 ? street : `${street}_${round_ + 1}`,
      capacity: 300 + Math.floor(rand() * 1700),
      geo: `${round(lat + (rand() - 0.5) * 0.004, 5)}, ${round(lon + (rand() - 0.5) * 0.004, 5)}`,
    };
  });
}

/** Rows of one day of traffic: flow `q` (vehicles/hour) and occupancy `k` (% of time a loop is occupied). */
export function* trafficRows(points, date, rand) {
  const profile = isWeekend(date) ? WEEKEND : WEEKDAY;
  // One counter is down for a whole day, as happens in the real feed: it reports empty measurements.
  const broken = points.length > 7 && date.endsWith("5") ? 7 : -1;
  for (let p = 0; p < points.length; p++) {
    const point = points[p];
    for (let hour = 0; hour < 24; hour++) {
      const missing = p === broken || rand() < 0.02;
      let q = "";
      let k = "";
      let state = "Inconnu";
      if (!missing) {
        const flow = Math.round(point.capacity * profile[hour] * (0.85 + rand() * 0.3));
        const occupancy = Math.min(95, (flow / point.capacity) * 22 * (0.8 + rand() * 0.4) + rand() * 2);
        q = String(flow);
        k = occupancy.toFixed(2);
        state = occupancy < 15 ? "Fluide" : occupancy < 30 ? "Pré-saturé" : "Saturé";
      }
      yield [point.id, point.name, stamp(date, hour), q, k, state, missing ? "Invalide" : "Ouvert", point.geo];
    }
  }
}
export const TRAFFIC_HEADER = ["iu_ac", "libelle", "t_1h", "q", "k", "etat_trafic", "etat_barre", "geo_point_2d"];

/** Bike counters, each a place and a direction. */
function bikeCounters(count, rand) {
  return Array.from({ length: count }, (_, i) => ({
    id: `${100003000 + i * 13}-${353242000 + Math.floor(rand() * 900)}`,
    name: `${BIKE_PLACES[i % BIKE_PLACES.length]} ${DIRECTIONS[i % DIRECTIONS.length]}`,
    base: 20 + Math.floor(rand() * 380),
    geo: `${round(48.83 + rand() * 0.06, 5)},${round(2.29 + rand() * 0.1, 5)}`,
  }));
}

function* bikeRows(counters, date, rand) {
  const profile = isWeekend(date) ? WEEKEND : WEEKDAY;
  for (const c of counters) {
    for (let hour = 0; hour < 24; hour++) {
      if (rand() < 0.01) continue; // an hour the counter did not send
      yield [c.id, c.name, String(Math.round(c.base * profile[hour] * (0.7 + rand() * 0.6))), stamp(date, hour), c.geo];
    }
  }
}
const BIKE_HEADER = ["id_compteur", "nom_compteur", "sum_counts", "date", "coordinates"];

function* roadworkRows(count, start, days, rand) {
  for (let i = 0; i < count; i++) {
    const begin = addDays(start, -Math.floor(rand() * 75) + Math.floor(rand() * days));
    const end = addDays(begin, 1 + Math.floor(rand() * 60));
    const [street, lat, lon] = STREETS[Math.floor(rand() * STREETS.length)];
    yield [
      `CH${String(250000 + i * 3).padStart(7, "0")}`,
      DISTRICTS[Math.floor(rand() * rand() * DISTRICTS.length)], // some districts see more works than others
      begin,
      end,
      IMPACTS[Math.floor(rand() * IMPACTS.length)],
      OWNERS[Math.floor(rand() * OWNERS.length)],
      street.replaceAll("_", " "),
      WORKS[Math.floor(rand() * WORKS.length)],
      `${round(lat + (rand() - 0.5) * 0.01, 5)}, ${round(lon + (rand() - 0.5) * 0.01, 5)}`,
    ];
  }
}
const ROADWORK_HEADER = ["identifiant", "cp_arrondissement", "date_debut", "date_fin", "impact_circulation", "maitre_ouvrage", "voie", "objet", "geo_point_2d"];

const field = (v) => (/[;"\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** Writes rows to a file through a stream, waiting when the disk is slower than the generator. */
async function writeCsv(path, header, rows) {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const write = (line) => (out.write(line) ? null : new Promise((r) => out.once("drain", r)));
  await write(`${header.join(";")}\n`);
  let buffer = "";
  for (const row of rows) {
    buffer += `${row.map(field).join(";")}\n`;
    if (buffer.length > 1 << 16) {
      await write(buffer);
      buffer = "";
    }
  }
  await write(buffer);
  await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
}

/** Writes every sample file; returns their paths relative to `out`. */
export async function generate({
  out,
  start = "2025-11-03",
  days = 7,
  points = 48,
  counters = 30,
  roadworks = 140,
  seed = 20251103,
  only = null,
  singleFile = false,
}) {
  const written = [];
  const dates = dateRange(start, addDays(start, days - 1));
  const want = (kind) => only === null || only === kind;
  if (want("traffic")) {
    const rand = random(seed);
    const list = trafficPoints(points, rand);
    if (singleFile) {
      // One export covering every day, as the open-data portal gives it (the processor filters rows by date).
      const file = "traffic/comptages-routiers-permanents.csv";
      await writeCsv(
        join(out, file),
        TRAFFIC_HEADER,
        (function* () {
          for (const date of dates) yield* trafficRows(list, date, rand);
        })(),
      );
      written.push(file);
    } else {
      for (const date of dates) {
        const file = `traffic/comptages-routiers-permanents-${date}.csv`;
        await writeCsv(join(out, file), TRAFFIC_HEADER, trafficRows(list, date, rand));
        written.push(file);
      }
    }
  }
  if (want("bikes")) {
    const rand = random(seed + 1);
    const list = bikeCounters(counters, rand);
    for (const date of dates) {
      const file = `bikes/comptage-velo-${date}.csv`;
      await writeCsv(join(out, file), BIKE_HEADER, bikeRows(list, date, rand));
      written.push(file);
    }
  }
  if (want("chantiers")) {
    const file = "chantiers/chantiers-perturbants.csv";
    await writeCsv(join(out, file), ROADWORK_HEADER, roadworkRows(roadworks, start, days, random(seed + 2)));
    written.push(file);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: join(here, "..", "data", "raw") },
      start: { type: "string", default: "2025-11-03" },
      days: { type: "string", default: "7" },
      points: { type: "string", default: "48" },
      counters: { type: "string", default: "30" },
      roadworks: { type: "string", default: "140" },
      seed: { type: "string", default: "20251103" },
      only: { type: "string" },
      "single-file": { type: "boolean", default: false },
    },
  });
  const files = await generate({
    out: values.out,
    start: values.start,
    days: Number(values.days),
    points: Number(values.points),
    counters: Number(values.counters),
    roadworks: Number(values.roadworks),
    seed: Number(values.seed),
    only: values.only ?? null,
    singleFile: values["single-file"],
  });
  console.log(`wrote ${files.length} files under ${values.out}`);
}
