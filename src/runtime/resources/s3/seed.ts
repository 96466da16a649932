/** Uploads a folder's files into a bucket (first start only), keys being their relative paths. */

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, readdir, stat } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { ResourceError } from "../types.js";
import type { BucketStore } from "./store.js";

const TYPES: Record<string, string> = {
  ".csv": "text/csv",
  ".json": "application/json",
  ".geojson": "application/geo+json",
  ".txt": "text/plain",
  ".html": "text/html",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".parquet": "application/octet-stream",
};

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await files(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

async function md5(path: string): Promise<string> {
  const hash = createHash("md5");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Copies every file under `folder` into `store`; returns how many. */
export async function seedBucket(store: BucketStore, folder: string): Promise<number> {
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) {
    throw new ResourceError(store.name, `the seed folder ${folder} does not exist`, "Create it, or remove `seed:` from the bucket in the stack file.");
  }
  const list = await files(folder);
  for (const path of list) {
    const temp = store.tempPath();
    await copyFile(path, temp);
    const size = (await stat(temp)).size;
    const key = relative(folder, path).split(sep).join("/");
    await store.commit(key, temp, {
      size,
      etag: await md5(temp),
      contentType: TYPES[extname(path).toLowerCase()] ?? "binary/octet-stream",
      metadata: {},
      headers: {},
    });
  }
  return list.length;
}
