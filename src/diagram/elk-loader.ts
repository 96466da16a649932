/**
 * Loads elkjs, with V8's code cache. elkjs is one 1.6 MB compiled-from-Java file; in a short-lived
 * `cairn diagram` or `cairn docs`, compiling it costs as much as the layout. After a first layout the
 * compiled code is saved under the user's cache folder (`$XDG_CACHE_HOME/cairn`, else ~/.cache/cairn),
 * keyed by the elkjs, Node and V8 versions; later runs start from it. A cache that cannot be read,
 * written or used (another V8) is ignored: elkjs is then compiled as usual.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import vm from "node:vm";
import type { ELK } from "elkjs/lib/elk-api.js";

const require = createRequire(import.meta.url);

function cacheFile(env: Readonly<Record<string, string | undefined>>): string | null {
  try {
    const version = (require("elkjs/package.json") as { version: string }).version;
    const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
    return join(base, "cairn", `elkjs-${version}-node-${process.version}-${process.arch}-${process.versions.v8}.v8cache`);
  } catch {
    return null;
  }
}

export interface LoadedElk {
  readonly elk: ELK;
  /** Saves the compiled code once a layout has run (functions compile when first called). */
  readonly save: () => void;
}

/** A new elkjs engine, compiled from the code cache when there is a usable one. */
export function loadElk(env: Readonly<Record<string, string | undefined>> = process.env): LoadedElk {
  const file = require.resolve("elkjs/lib/elk.bundled.js");
  const cache = cacheFile(env);
  let cachedData: Buffer | undefined;
  try {
    cachedData = cache ? readFileSync(cache) : undefined;
  } catch {
    cachedData = undefined;
  }
  const source = readFileSync(file, "utf8");
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module: { exports: { default?: unknown } } = { exports: {} };
  script.runInThisContext()(module.exports, require, module, file, dirname(file));
  const Elk = (module.exports.default ?? module.exports) as new () => ELK;
  const stale = cachedData === undefined || script.cachedDataRejected === true;
  let saved = !stale;
  return {
    elk: new Elk(),
    save() {
      if (saved || !cache) return;
      saved = true;
      try {
        mkdirSync(dirname(cache), { recursive: true });
        // Written whole, then renamed: a run reading it never sees half a file. One temporary name
        // for every process: one stopped while writing leaves one file, which the next overwrites
        // (two writing at once may rename a mixed file, which V8 then rejects and the next run replaces).
        const temp = `${cache}.tmp`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cache);
      } catch {
        // A read-only home or a full disk costs speed, nothing else.
      }
    },
  };
}
