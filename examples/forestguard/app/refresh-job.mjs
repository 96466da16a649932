// Stand-in for ForestGuard's refresh job: writes a GeoJSON snapshot dated by its first argument
// (`${run.date}` in a stack file) into $OUTPUT_DIR (default ./output). Plain Node.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const date = process.argv[2] ?? new Date().toISOString().slice(0, 10);
const dir = process.env.OUTPUT_DIR ?? "output";
mkdirSync(dir, { recursive: true });
const file = join(dir, `zones-${date}.geojson`);
writeFileSync(file, `${JSON.stringify({ type: "FeatureCollection", date, features: [] })}\n`);
console.log(`wrote ${file}`);
