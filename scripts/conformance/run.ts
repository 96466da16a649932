/**
 * `npm run conformance [-- --suites DIR] [--only s3|dynamodb] [--json]`: the peers' own test suites against
 * freshly started Cairn endpoints, one suite at a time, with the pass counts against the floors below.
 * DIR defaults to ../shared/conformance; when it is missing the run says so and succeeds (CI without the
 * suites). Exit code 1 when a suite passes fewer tests than its floor.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runDynalite } from "./dynalite.js";
import { runS3Tests } from "./s3-tests.js";
import type { SuiteResult } from "./types.js";

/** The floors: fewer passing tests than these fails the run (issue 13's targets). */
export const FLOORS: Readonly<Record<string, number>> = {
  "s3-tests": 205,
  "dynalite behaviour": 226,
  "dynalite validation": 604,
};

const { values } = parseArgs({
  options: {
    suites: { type: "string", default: resolve("..", "shared", "conformance") },
    only: { type: "string" },
    json: { type: "boolean", default: false },
    failures: { type: "boolean", default: false },
  },
});
const dir = resolve(values.suites ?? "");
const say = (text: string) => process.stdout.write(`${text}\n`);

if (!existsSync(dir)) {
  say(values.json ? JSON.stringify({ skipped: `no suites in ${dir}` }) : `conformance: no suites in ${dir}, skipped`);
  process.exit(0);
}

const results: Array<SuiteResult & { seconds: number }> = [];
const runs: Array<[string, () => Promise<SuiteResult[]>]> = [
  ["dynamodb", () => runDynalite(resolve(dir, "dynalite"))],
  ["s3", () => runS3Tests(resolve(dir, "s3-tests"))],
];
for (const [name, run] of runs) {
  if (values.only && values.only !== name) continue;
  if (!values.json) say(`conformance: running the ${name} suite...`);
  const start = Date.now();
  for (const result of await run()) results.push({ ...result, seconds: (Date.now() - start) / 1000 });
}

const below = results.filter((r) => r.passed < (FLOORS[r.suite] ?? 0));
if (values.json) {
  say(JSON.stringify({ results: results.map((r) => ({ ...r, floor: FLOORS[r.suite] ?? 0 })), ok: below.length === 0 }, null, 2));
} else {
  say("");
  say(`${"suite".padEnd(22)}${"passed".padStart(8)}${"total".padStart(8)}${"floor".padStart(8)}${"time".padStart(9)}`);
  for (const r of results) {
    const mark = r.passed < (FLOORS[r.suite] ?? 0) ? "  below the floor" : "";
    say(
      `${r.suite.padEnd(22)}${String(r.passed).padStart(8)}${String(r.total).padStart(8)}${String(FLOORS[r.suite] ?? 0).padStart(8)}${`${r.seconds.toFixed(0)} s`.padStart(9)}${mark}`,
    );
  }
  for (const r of results) {
    if (!values.failures && r.passed >= (FLOORS[r.suite] ?? 0)) continue;
    for (const f of r.failing) say(`  ${r.suite}: ${f.name.slice(0, 90)}`);
  }
  if (!values.failures) say("\n(`npm run conformance -- --failures` names every failing test)");
}
process.exit(below.length ? 1 : 0);
