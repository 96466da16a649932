/**
 * The page's own files, served by the console and nothing else: one script, one style sheet. No
 * framework and no build step (they are read as written, from `src/console/assets/` both from the
 * sources and from `dist/`), so the whole front end is these two files (`npm run bench:console`
 * prints their size against the 200 kB budget).
 */
import { readFile } from "node:fs/promises";

export const ASSETS_URL = new URL("../../src/console/assets/", import.meta.url);

export const ASSET_TYPES: Readonly<Record<string, string>> = {
  "app.js": "text/javascript; charset=utf-8",
  "app.css": "text/css; charset=utf-8",
};

const cache = new Map<string, Buffer>();

/** An asset's bytes, or null for a name that is not one. */
export async function readAsset(name: string): Promise<Buffer | null> {
  if (!Object.hasOwn(ASSET_TYPES, name)) return null;
  let bytes = cache.get(name);
  if (!bytes) {
    bytes = await readFile(new URL(name, ASSETS_URL));
    cache.set(name, bytes);
  }
  return bytes;
}
