/**
 * Bucket backups through the S3 API of the local endpoint: a tar holding `manifest.json` (each
 * object's key, type, metadata and headers) and one entry per object. Restoring makes the bucket
 * hold exactly the backed-up objects: others are deleted, the backed-up ones put back.
 */
import { createWriteStream } from "node:fs";
import type { Readable } from "node:stream";
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { addEntry, entryStream, entryText, finish, readEntries } from "./tar.js";

interface ManifestEntry {
  readonly key: string;
  readonly file: string;
  readonly size: number;
  readonly contentType: string | null;
  readonly metadata: Record<string, string>;
  readonly cacheControl: string | null;
  readonly contentEncoding: string | null;
  readonly contentDisposition: string | null;
}

interface Manifest {
  readonly format: "cairn-bucket-backup";
  readonly version: 1;
  readonly bucket: string;
  readonly objects: ManifestEntry[];
}

function client(endpoint: string, region: string): S3Client {
  return new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId: "cairn", secretAccessKey: "cairn" } });
}

async function allKeys(s3: S3Client, bucket: string): Promise<Array<{ key: string; size: number }>> {
  const out: Array<{ key: string; size: number }> = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) out.push({ key: o.Key as string, size: o.Size ?? 0 });
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

/** Writes every object of `bucket` into the tar file `out`; returns how many. */
export async function backupBucket(attributes: Readonly<Record<string, string>>, out: string): Promise<number> {
  const bucket = attributes.name as string;
  const s3 = client(attributes.endpoint as string, attributes.region ?? "us-east-1");
  const stream = createWriteStream(out);
  // A write error (a full disk) surfaces through the next write and through end(); this keeps it
  // from being an unhandled event meanwhile.
  stream.on("error", () => {});
  const objects: ManifestEntry[] = [];
  try {
    for (const [i, { key }] of (await allKeys(s3, bucket)).entries()) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const file = `objects/${String(i + 1).padStart(8, "0")}`;
      const size = got.ContentLength ?? 0;
      await addEntry(stream, file, size, got.Body as Readable);
      objects.push({
        key,
        file,
        size,
        contentType: got.ContentType ?? null,
        metadata: got.Metadata ?? {},
        cacheControl: got.CacheControl ?? null,
        contentEncoding: got.ContentEncoding ?? null,
        contentDisposition: got.ContentDisposition ?? null,
      });
    }
    const manifest: Manifest = { format: "cairn-bucket-backup", version: 1, bucket, objects };
    const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await addEntry(stream, "manifest.json", text.length, text);
    await finish(stream);
  } finally {
    s3.destroy();
  }
  return objects.length;
}

/** Reads and checks a backup's manifest; throws a plain Error saying what is wrong. */
export async function readManifest(file: string): Promise<{ manifest: Manifest; entries: Awaited<ReturnType<typeof readEntries>> }> {
  const entries = await readEntries(file);
  const entry = entries.find((e) => e.name === "manifest.json");
  if (!entry) throw new Error(`${file} is not a Cairn bucket backup (no manifest.json)`);
  const manifest = JSON.parse(await entryText(file, entry)) as Manifest;
  if (manifest.format !== "cairn-bucket-backup") throw new Error(`${file} is not a Cairn bucket backup`);
  return { manifest, entries };
}

/** Makes the bucket hold exactly the objects of the backup `file`; returns how many. */
export async function restoreBucket(attributes: Readonly<Record<string, string>>, file: string): Promise<number> {
  const { manifest, entries } = await readManifest(file);
  const bucket = attributes.name as string;
  const s3 = client(attributes.endpoint as string, attributes.region ?? "us-east-1");
  try {
    const keep = new Set(manifest.objects.map((o) => o.key));
    const extra = (await allKeys(s3, bucket)).filter((o) => !keep.has(o.key));
    for (let i = 0; i < extra.length; i += 1000) {
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: extra.slice(i, i + 1000).map((o) => ({ Key: o.key })), Quiet: true } }));
    }
    for (const object of manifest.objects) {
      const entry = entries.find((e) => e.name === object.file);
      if (!entry) throw new Error(`${file} lacks ${object.file} (object ${object.key})`);
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: object.key,
          Body: entryStream(file, entry),
          ContentLength: entry.size,
          ContentType: object.contentType ?? undefined,
          Metadata: object.metadata,
          CacheControl: object.cacheControl ?? undefined,
          ContentEncoding: object.contentEncoding ?? undefined,
          ContentDisposition: object.contentDisposition ?? undefined,
        }),
      );
    }
  } finally {
    s3.destroy();
  }
  return manifest.objects.length;
}
