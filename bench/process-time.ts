/** Timing one `cairn` process: wall and CPU milliseconds (GNU time), and a median. Needs dist/ (npm run build). */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../", import.meta.url));

if (!existsSync(join(root, "dist/cli/main.js"))) {
  console.error("dist/ is missing: run `npm run build` first.");
  process.exit(1);
}

/** Wall and CPU (user + system) milliseconds of `cairn ARGS`, and its exit code. */
export function time(args: readonly string[]): { ms: number; cpu: number; code: number | null } {
  const start = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "@cpu %U %S", process.execPath, join(root, "bin/cairn.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const [, user = "0", sys = "0"] = /@cpu (\S+) (\S+)/.exec(r.stderr ?? "") ?? [];
  return { ms, cpu: (Number(user) + Number(sys)) * 1000, code: r.status };
}

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
