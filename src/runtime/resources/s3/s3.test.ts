import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startResource } from "../index.js";
import { contextFor, holdInChild, killHolder, resourceFrom, stateDir } from "../testing/index.js";
import { type LocalResource, ResourceError } from "../types.js";

const YAML = `name: test
resources:
  raw: { type: bucket, seed: seed }
  reports: { type: bucket, versioning: true }
`;

const client = (endpoint: string) =>
  new S3Client({ endpoint, region: "eu-west-3", forcePathStyle: true, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
const text = async (body: unknown) => await (body as { transformToString(): Promise<string> }).transformToString();

describe("local S3 bucket, driven by the AWS SDK", () => {
  let state: Awaited<ReturnType<typeof stateDir>>;
  let raw: LocalResource;
  let reports: LocalResource;
  let s3: S3Client;
  beforeAll(async () => {
    state = await stateDir("s3");
    await mkdir(join(state.dir, "seed", "traffic"), { recursive: true });
    await writeFile(join(state.dir, "seed", "traffic", "2025-11-04.csv"), "point,hour,flow\nA,0,12\n");
    await writeFile(join(state.dir, "seed", "readme.txt"), "raw data");
    raw = await startResource(resourceFrom(YAML, "raw"), contextFor(join(state.dir, "res", "raw"), state.dir));
    reports = await startResource(resourceFrom(YAML, "reports"), contextFor(join(state.dir, "res", "reports"), state.dir));
    s3 = client(raw.attributes.endpoint as string);
  });
  afterAll(async () => {
    await raw?.close();
    await reports?.close();
    await state.remove();
  });

  it("gives every bucket of a stack the same endpoint, the physical name and a URL", () => {
    expect(raw.attributes.endpoint).toBe(reports.attributes.endpoint);
    expect(raw.attributes.name).toBe("test-local-raw");
    expect(raw.attributes.url).toBe(`${raw.attributes.endpoint}/test-local-raw`);
    expect(raw.attributes.region).toBe("us-east-1");
  });

  it("has the seed files and answers CreateBucket/HeadBucket for its own bucket", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "test-local-raw" }));
    await s3.send(new HeadBucketCommand({ Bucket: "test-local-raw" }));
    const missing = await s3.send(new HeadBucketCommand({ Bucket: "nope" })).catch((e) => e);
    expect(missing.$metadata.httpStatusCode).toBe(404);
    const seeded = await s3.send(new GetObjectCommand({ Bucket: "test-local-raw", Key: "traffic/2025-11-04.csv" }));
    expect(seeded.ContentType).toBe("text/csv");
    expect(await text(seeded.Body)).toBe("point,hour,flow\nA,0,12\n");
  });

  it("puts, gets (with a range), heads and deletes objects, with metadata", async () => {
    const Bucket = "test-local-raw";
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: "a b/ünï.txt", Body: "hello world", ContentType: "text/plain", Metadata: { owner: "ops" } }));
    expect(put.ETag).toBe('"5eb63bbbe01eeed093cb22bb8f5acdc3"');
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: "a b/ünï.txt" }));
    expect(await text(got.Body)).toBe("hello world");
    expect(got.Metadata).toEqual({ owner: "ops" });
    const part = await s3.send(new GetObjectCommand({ Bucket, Key: "a b/ünï.txt", Range: "bytes=6-10" }));
    expect(await text(part.Body)).toBe("world");
    expect(part.ContentRange).toBe("bytes 6-10/11");
    const suffix = await s3.send(new GetObjectCommand({ Bucket, Key: "a b/ünï.txt", Range: "bytes=-5" }));
    expect(await text(suffix.Body)).toBe("world");
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "a b/ünï.txt" }));
    expect(head.ContentLength).toBe(11);
    await s3.send(new DeleteObjectCommand({ Bucket, Key: "a b/ünï.txt" }));
    const gone = await s3.send(new GetObjectCommand({ Bucket, Key: "a b/ünï.txt" })).catch((e) => e);
    expect(gone.name).toBe("NoSuchKey");
  });

  it("accepts streamed uploads in aws-chunked encoding", async () => {
    const body = Buffer.alloc(300_000, "x");
    const stream = Readable.from([body.subarray(0, 100_000), body.subarray(100_000)]);
    await s3.send(new PutObjectCommand({ Bucket: "test-local-raw", Key: "stream.bin", Body: stream, ContentLength: body.length }));
    const got = await s3.send(new GetObjectCommand({ Bucket: "test-local-raw", Key: "stream.bin" }));
    const bytes = Buffer.from(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    expect(bytes.equals(body)).toBe(true);
  });

  it("lists with prefix, delimiter and continuation tokens", async () => {
    const Bucket = "test-local-raw";
    for (const key of ["logs/2025/01.txt", "logs/2025/02.txt", "logs/2026/01.txt", "logs/top.txt", "other.txt"]) {
      await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: key }));
    }
    const folders = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: "logs/", Delimiter: "/" }));
    expect(folders.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["logs/2025/", "logs/2026/"]);
    expect(folders.Contents?.map((c) => c.Key)).toEqual(["logs/top.txt"]);
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: "logs/", MaxKeys: 2, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((c) => c.Key as string));
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    expect(keys).toEqual(["logs/2025/01.txt", "logs/2025/02.txt", "logs/2026/01.txt", "logs/top.txt"]);
    expect(pages).toBe(2);
    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    expect(deleted.Deleted).toHaveLength(4);
    const left = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: "logs/" }));
    expect(left.KeyCount).toBe(0);
  });

  it("copies objects between buckets", async () => {
    await s3.send(new PutObjectCommand({ Bucket: "test-local-raw", Key: "src.txt", Body: "copy me", Metadata: { a: "1" } }));
    await s3.send(new CopyObjectCommand({ Bucket: "test-local-reports", Key: "dst.txt", CopySource: "test-local-raw/src.txt" }));
    const got = await s3.send(new GetObjectCommand({ Bucket: "test-local-reports", Key: "dst.txt" }));
    expect(await text(got.Body)).toBe("copy me");
    expect(got.Metadata).toEqual({ a: "1" });
  });

  it("does multipart uploads: create, parts, list, complete; and abort", async () => {
    const Bucket = "test-local-raw";
    const Key = "big.csv";
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: "text/csv" }));
    const chunks = [Buffer.alloc(5 * 1024 * 1024, "a"), Buffer.from("tail")];
    const parts = [];
    for (const [i, Body] of chunks.entries()) {
      const up = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }));
      parts.push({ PartNumber: i + 1, ETag: up.ETag });
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts?.map((p) => p.Size)).toEqual([5 * 1024 * 1024, 4]);
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
    expect(done.ETag).toMatch(/-2"$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    expect(head.ContentLength).toBe(5 * 1024 * 1024 + 4);
    expect(head.ContentType).toBe("text/csv");
    const end = await s3.send(new GetObjectCommand({ Bucket, Key, Range: `bytes=${5 * 1024 * 1024 - 1}-` }));
    expect(await text(end.Body)).toBe("atail");

    const other = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "dropped" }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: "dropped", UploadId: other.UploadId }));
    const after = await s3.send(new ListPartsCommand({ Bucket, Key: "dropped", UploadId: other.UploadId })).catch((e) => e);
    expect(after.name).toBe("NoSuchUpload");
  });

  it("keeps versions when the bucket asks for versioning", async () => {
    const Bucket = "test-local-reports";
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe("Enabled");
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: "daily.csv", Body: "v1" }));
    await s3.send(new PutObjectCommand({ Bucket, Key: "daily.csv", Body: "v2" }));
    expect(await text((await s3.send(new GetObjectCommand({ Bucket, Key: "daily.csv" }))).Body)).toBe("v2");
    expect(await text((await s3.send(new GetObjectCommand({ Bucket, Key: "daily.csv", VersionId: v1.VersionId }))).Body)).toBe("v1");
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket, Key: "daily.csv" }));
    expect(deleted.DeleteMarker).toBe(true);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: "daily" }));
    expect(versions.Versions).toHaveLength(2);
    expect(versions.DeleteMarkers).toHaveLength(1);
    expect(await text((await s3.send(new GetObjectCommand({ Bucket, Key: "daily.csv", VersionId: v1.VersionId }))).Body)).toBe("v1");
  });

  it("keeps objects across close and start, and does not seed again", async () => {
    await s3.send(new PutObjectCommand({ Bucket: "test-local-raw", Key: "keep.txt", Body: "kept" }));
    await s3.send(new DeleteObjectCommand({ Bucket: "test-local-raw", Key: "readme.txt" }));
    await raw.close();
    await reports.close();
    expect(await raw.healthy()).toBe(false);
    raw = await startResource(resourceFrom(YAML, "raw"), contextFor(join(state.dir, "res", "raw"), state.dir));
    reports = await startResource(resourceFrom(YAML, "reports"), contextFor(join(state.dir, "res", "reports"), state.dir));
    s3 = client(raw.attributes.endpoint as string);
    expect(await text((await s3.send(new GetObjectCommand({ Bucket: "test-local-raw", Key: "keep.txt" }))).Body)).toBe("kept");
    const readme = await s3.send(new HeadObjectCommand({ Bucket: "test-local-raw", Key: "readme.txt" })).catch((e) => e);
    expect(readme.$metadata.httpStatusCode).toBe(404);
  });

  it("keeps objects when the process serving them is killed with SIGKILL", async () => {
    const yaml = "name: test\nresources:\n  files: { type: bucket }\n";
    const dataDir = join(state.dir, "crash", "files");
    const holder = await holdInChild(yaml, "files", dataDir);
    const c = client(holder.attributes.endpoint as string);
    await c.send(new PutObjectCommand({ Bucket: "test-local-files", Key: "x.json", Body: '{"ok":true}' }));
    const busy = await startResource(resourceFrom(yaml, "files"), contextFor(dataDir)).catch((e) => e);
    expect(busy).toBeInstanceOf(ResourceError);
    expect(busy.message).toContain(`already served by process ${holder.process.pid}`);
    await killHolder(holder);
    const again = await startResource(resourceFrom(yaml, "files"), contextFor(dataDir));
    const got = await client(again.attributes.endpoint as string).send(new GetObjectCommand({ Bucket: "test-local-files", Key: "x.json" }));
    expect(await text(got.Body)).toBe('{"ok":true}');
    await again.close();
  });

  it("refuses a folder that is not a bucket, and a missing seed folder", async () => {
    const foreign = join(state.dir, "foreign", "files");
    await mkdir(foreign, { recursive: true });
    await writeFile(join(foreign, "mine.txt"), "mine");
    const error = await startResource(resourceFrom("name: k\nresources:\n  files: { type: bucket }\n", "files"), contextFor(foreign)).catch((e) => e);
    expect(error).toBeInstanceOf(ResourceError);
    expect(error.message).toContain("not a Cairn bucket");
    expect(await readFile(join(foreign, "mine.txt"), "utf8")).toBe("mine");
    const noSeed = await startResource(
      resourceFrom("name: k\nresources:\n  files: { type: bucket, seed: nowhere }\n", "files"),
      contextFor(join(state.dir, "noseed", "files"), state.dir),
    ).catch((e) => e);
    expect(noSeed).toBeInstanceOf(ResourceError);
    expect(noSeed.message).toContain("seed folder");
  });
});
