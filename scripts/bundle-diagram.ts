/**
 * Part of `npm run build`, after tsc: joins what `cairn diagram` runs (dist/cli/commands/diagram-run.js,
 * every module it imports, and zod) into one file, dist/cli/commands/diagram-run.bundle.js.
 *
 * Why: Node 20 loads an ES module in about half a millisecond of resolving and reading before any of
 * its code runs, and `cairn diagram` loaded 240 of them (95 in zod alone, 63 of these zod's locales),
 * which was the largest part of its time. One file saves 60 to 100 ms of CPU per run
 * (bench/diagram.ts). The code is the same: tsc's output, joined; the tests run the sources.
 *
 * Left outside, loaded as usual: the other packages (CommonJS ones like yaml keep their own loader),
 * the layout engine (elk-engine.js, whose worker file sits beside it and whose state the verb shares),
 * and png.js, loaded only for --format png (it brings playwright-core).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

/** Modules kept as files besides those loaded before: png.js, loaded only for --format png (it brings playwright-core). */
const ownFiles = /\/diagram\/png\.[jt]s$/;

/**
 * The modules `main` and the verb's declaration import before the bundle loads (statically, from
 * compiled or TypeScript files): they stay outside it, so that one module has one instance; two
 * copies of UserError would make `instanceof` in main.ts miss, two elk-engines two workers.
 */
export function loadedBefore(entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(existsSync(file) ? file : file.replace(/\.js$/, ".ts"), "utf8");
    for (const m of text.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?\sfrom\s+"(\.[^"]+)"/gms)) visit(resolve(dirname(file), m[1] ?? ""));
  };
  for (const entry of entries) visit(entry);
  return seen;
}

/** The bundle plugin: zod goes in, other packages and the modules loaded before stay outside. */
function outside(outfile: string, before: ReadonlySet<string>): Plugin {
  return {
    name: "outside",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => (args.path === "zod" || args.path.startsWith("zod/") ? undefined : { path: args.path, external: true }));
      b.onResolve({ filter: /\.js$/ }, (args) => {
        const file = resolve(args.resolveDir, args.path);
        if (!before.has(file) && !ownFiles.test(file)) return undefined;
        return { path: `./${relative(dirname(outfile), file)}`, external: true };
      });
    },
  };
}

/**
 * Joins `entry` (diagram-run, compiled or not) and what it imports into `outfile`, but for the
 * modules main.js and diagram.js beside it import first.
 */
export async function bundleDiagram(entry: string, outfile: string): Promise<void> {
  const before = loadedBefore([resolve(dirname(entry), "../main.js"), resolve(dirname(entry), "diagram.js")]);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    plugins: [outside(outfile, before)],
    logLevel: "warning",
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL("../", import.meta.url));
  const outfile = resolve(root, "dist/cli/commands/diagram-run.bundle.js");
  await bundleDiagram(resolve(root, "dist/cli/commands/diagram-run.js"), outfile);
  process.stdout.write(`wrote ${relative(root, outfile)}\n`);
}
