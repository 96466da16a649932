/**
 * A local bucket: an S3-compatible endpoint on loopback with the objects on disk under the
 * resource's folder. All buckets of a stack share one endpoint. The bucket exists from the start;
 * a `seed` folder is uploaded on the first start only.
 */

import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Bucket } from "../../../model/types.js";
import { describeReport } from "../../http/guard.js";
import { freePort } from "../../ports.js";
import { assertNotInUse, markStopped, readEndpoint, writeEndpoint } from "../endpoint.js";
import { acquire, release, sharedKey } from "../shared.js";
import { type LocalResource, type ResourceContext, ResourceError } from "../types.js";
import { seedBucket } from "./seed.js";
import { S3Server } from "./server.js";
import { BucketStore } from "./store.js";

/** Refuses a folder with content that Cairn did not write (no `bucket.json`). */
async function checkFolder(resource: string, dataDir: string): Promise<"new" | "ours"> {
  let entries: string[];
  try {
    entries = await readdir(dataDir);
  } catch {
    return "new";
  }
  if (entries.includes("bucket.json")) return "ours";
  if (entries.every((e) => e === "endpoint.json")) return "new";
  throw new ResourceError(
    resource,
    `${dataDir} holds files that are not a Cairn bucket (no bucket.json)`,
    "Move the folder away if its content is not needed; Cairn never deletes data to make a bucket start.",
  );
}

export async function startBucket(resource: Bucket, context: ResourceContext): Promise<LocalResource> {
  const name = resource.physicalName;
  const state = await checkFolder(resource.name, context.dataDir);
  const previous = await readEndpoint(context.dataDir);
  assertNotInUse(
    previous,
    (owner) => new ResourceError(resource.name, `the bucket is already served by process ${owner}`, "Stop that `cairn up` first (`cairn down`)."),
  );

  const store = await BucketStore.open(name, join(context.dataDir, "objects"), resource.versioning).catch((error: NodeJS.ErrnoException) => {
    throw new ResourceError(
      resource.name,
      `cannot open the bucket folder ${context.dataDir}: ${error.message}`,
      error.code === "ENOSPC" ? "The disk is full: free space and start again." : "Check the folder's permissions.",
    );
  });
  if (state === "new") await writeFile(join(context.dataDir, "bucket.json"), `${JSON.stringify({ name, created: new Date().toISOString() })}\n`);

  const key = sharedKey("s3", context);
  const server = await acquire(key, resource.name, async () => {
    const s3 = new S3Server(context.host, runtimeBucketsDir(context.dataDir));
    s3.onError = (report) => context.log(describeReport(report));
    const port = await freePort(context.host, previous?.port);
    try {
      await s3.listen(port);
    } catch (error) {
      throw new ResourceError(
        resource.name,
        `the S3 endpoint could not listen on ${context.host}:${port}: ${(error as Error).message}`,
        "Another program took the port; start again to pick another one.",
      );
    }
    return s3;
  });
  server.buckets.set(name, store);
  server.declared.add(name);

  const seeded = join(context.dataDir, "seeded");
  if (resource.seed && !(await stat(seeded).catch(() => null))) {
    try {
      const count = await seedBucket(store, join(context.root, resource.seed));
      await writeFile(seeded, `${JSON.stringify({ from: resource.seed, objects: count })}\n`);
      context.log(`bucket ${name}: ${count} object${count === 1 ? "" : "s"} from ${resource.seed}`);
    } catch (error) {
      server.buckets.delete(name);
      await release(key, resource.name, (s: S3Server) => s.close());
      throw error instanceof ResourceError
        ? error
        : new ResourceError(resource.name, `seeding from ${resource.seed} failed: ${(error as Error).message}`, "Check the seed folder.");
    }
  }

  const endpoint = `http://${context.host}:${server.port}`;
  const attributes = { name, endpoint, region: context.region ?? "us-east-1", url: `${endpoint}/${name}` };
  await writeEndpoint(context.dataDir, {
    type: "bucket",
    host: context.host,
    port: server.port,
    pid: null,
    owner: process.pid,
    engine: "s3",
    attributes,
    startedAt: new Date().toISOString(),
  });
  context.log(`bucket ${name} on ${endpoint}`);
  let closing: Promise<void> | null = null;
  return {
    name: resource.name,
    type: "bucket",
    attributes,
    pid: null,
    healthy: async () => server.listening && server.buckets.get(name) === store,
    close() {
      closing ??= (async () => {
        if (server.buckets.get(name) === store) {
          server.buckets.delete(name);
          server.declared.delete(name);
        }
        await release(key, resource.name, (s: S3Server) => s.close());
        await markStopped(context.dataDir);
      })();
      return closing;
    },
  };
}

/**
 * Where buckets made at run time (CreateBucket) keep their objects: beside the stack's resource folders,
 * under a name no resource can have, one folder per bucket.
 */
export function runtimeBucketsDir(resourceDataDir: string): string {
  return join(dirname(resourceDataDir), "_buckets");
}

/** Names of the buckets made at run time, for `cairn ps` (none when the folder does not exist). */
export async function runtimeBuckets(resourceDataDir: string): Promise<string[]> {
  const entries = await readdir(runtimeBucketsDir(resourceDataDir), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Reads `bucket.json` of a bucket folder: its physical name. */
export async function bucketName(dataDir: string): Promise<string | null> {
  try {
    return (JSON.parse(await readFile(join(dataDir, "bucket.json"), "utf8")) as { name: string }).name;
  } catch {
    return null;
  }
}
