/**
 * One day of processing: every raw file that may hold rows of the day is streamed in chunks through the
 * metric accumulators. Pure apart from reading the source it is given.
 */
import { readRowChunks } from "./csv.mjs";
import { createDay, REQUIRED_COLUMNS } from "./metrics.mjs";

/** Raw file kinds and the prefix (folder) under which they live. */
export const KINDS = [
  ["traffic", "traffic/"],
  ["bikes", "bikes/"],
  ["chantiers", "chantiers/"],
];

/**
 * False when the file's name carries dates and none is `date` (a daily export of another day), so a
 * run reads one day's files plus undated ones (full exports, filtered row by row).
 */
export function mayHoldDate(key, date) {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const dates = name.match(/\d{4}-\d{2}-\d{2}/g);
  return dates === null || dates.includes(date);
}

/** A raw file that cannot be read as its kind; the message names the file and what is wrong. */
export class DataError extends Error {
  name = "DataError";
}

function checkColumns(kind, key, columns) {
  const missing = REQUIRED_COLUMNS[kind].filter((c) => !(c in columns));
  if (missing.length > 0) {
    throw new DataError(
      `${key} has no column ${missing.join(", ")} (its header: ${Object.keys(columns).join(";")}); a ${kind} file needs ${REQUIRED_COLUMNS[kind].join(";")}`,
    );
  }
}

/** Reads the raw files for `date` from `source`; returns the day's metrics and what was read. */
export async function processDay({ date, source, chunkRows = 50_000, log = () => {} }) {
  const day = createDay(date);
  const stats = { files: 0, rows: 0, chunks: 0 };
  for (const [kind, prefix] of KINDS) {
    for (const key of await source.list(prefix)) {
      if (!mayHoldDate(key, date)) continue;
      stats.files++;
      let rows = 0;
      for await (const chunk of readRowChunks(await source.open(key), { chunkRows })) {
        if (rows === 0) checkColumns(kind, key, chunk.columns);
        day.add(kind, chunk);
        rows += chunk.lines.length;
        stats.chunks++;
      }
      stats.rows += rows;
      log(`read ${key}: ${rows} rows`);
    }
  }
  return { metrics: day.results(), stats };
}
