/** S3 behaviour beyond the basics, driven by the AWS SDK against a started bucket endpoint. */
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startResource } from "../index.js";
import { contextFor, resourceFrom, stateDir } from "../testing/index.js";
import type { LocalResource } from "../types.js";

const YAML = "name: test\nresources:\n  files: { type: bucket }\n  history: { type: bucket, versioning: true }\n";
const fail = (promise: Promise<unknown>) => promise.then(() => null).catch((e: { name: string; $metadata?: { httpStatusCode?: number } }) => e);

describe("local S3: buckets at run time, versioning, conditions, checks", () => {
  let state: Awaited<ReturnType<typeof stateDir>>;
  let files: LocalResource;
  let history: LocalResource;
  let s3: S3Client;
  const start = async () => {
    files = await startResource(resourceFrom(YAML, "files"), contextFor(join(state.dir, "res", "files")));
    history = await startResource(resourceFrom(YAML, "history"), contextFor(join(state.dir, "res", "history")));
    s3 = new S3Client({
      endpoint: files.attributes.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    });
  };
  beforeAll(async () => {
    state = await stateDir("s3-behaviour");
    await start();
  });
  afterAll(async () => {
    await files?.close();
    await history?.close();
    await state.remove();
  });
  const Bucket = "test-local-files";

  it("creates, lists and deletes buckets the stack does not declare; they survive a restart; bad names are refused", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "made-at-runtime" }));
    await s3.send(new PutObjectCommand({ Bucket: "made-at-runtime", Key: "k", Body: "v" }));
    await files.close();
    await history.close();
    await start();
    const names = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(names).toEqual(["made-at-runtime", "test-local-files", "test-local-history"]);
    expect((await fail(s3.send(new DeleteBucketCommand({ Bucket: "made-at-runtime" }))))?.name).toBe("BucketNotEmpty");
    await s3.send(new DeleteObjectCommand({ Bucket: "made-at-runtime", Key: "k" }));
    await s3.send(new DeleteBucketCommand({ Bucket: "made-at-runtime" }));
    for (const bad of ["ab", "Upper", "a..b", "192.168.1.1", "-dash", "xn--punycode"]) {
      expect((await fail(s3.send(new CreateBucketCommand({ Bucket: bad }))))?.name, bad).toBe("InvalidBucketName");
    }
    expect((await fail(s3.send(new DeleteBucketCommand({ Bucket }))))?.name).toBe("InvalidRequest");
  });

  it("starts a bucket with the stack file's versioning, and switches it with PutBucketVersioning", async () => {
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: "test-local-history" }))).Status).toBe("Enabled");
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBeUndefined();
    await s3.send(new PutObjectCommand({ Bucket, Key: "doc", Body: "plain" }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket, Key: "doc", Body: "second" }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: "doc" }));
    expect(marker.DeleteMarker).toBe(true);
    const gone = await fail(s3.send(new HeadObjectCommand({ Bucket, Key: "doc" })));
    expect(gone?.$metadata?.httpStatusCode).toBe(404);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: "doc" }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual([v2.VersionId, "null"]);
    expect(versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[marker.VersionId, true]]);
    const old = await s3.send(new GetObjectCommand({ Bucket, Key: "doc", VersionId: "null" }));
    expect(await old.Body?.transformToString()).toBe("plain");
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } }));
    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: "other" }] } }));
    expect(deleted.Deleted?.[0]).toMatchObject({ Key: "other", DeleteMarker: true, DeleteMarkerVersionId: "null" });
  });

  it("answers conditional GETs and copies as S3 does", async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: "cond", Body: "x" }));
    const etag = put.ETag as string;
    expect((await s3.send(new GetObjectCommand({ Bucket, Key: "cond", IfMatch: etag }))).ETag).toBe(etag);
    expect((await fail(s3.send(new GetObjectCommand({ Bucket, Key: "cond", IfMatch: '"nope"' }))))?.$metadata?.httpStatusCode).toBe(412);
    expect((await fail(s3.send(new GetObjectCommand({ Bucket, Key: "cond", IfNoneMatch: etag }))))?.$metadata?.httpStatusCode).toBe(304);
    const later = new Date(Date.now() + 3_600_000);
    expect((await fail(s3.send(new GetObjectCommand({ Bucket, Key: "cond", IfModifiedSince: later }))))?.$metadata?.httpStatusCode).toBe(304);
    expect((await fail(s3.send(new GetObjectCommand({ Bucket, Key: "cond", IfUnmodifiedSince: new Date(0) }))))?.$metadata?.httpStatusCode).toBe(412);
    const copy = (extra: object) => s3.send(new CopyObjectCommand({ Bucket, Key: "copy", CopySource: `${Bucket}/cond`, ...extra }));
    expect((await fail(copy({ CopySourceIfMatch: '"nope"' })))?.$metadata?.httpStatusCode).toBe(412);
    expect((await copy({ CopySourceIfNoneMatch: '"nope"' })).CopyObjectResult?.ETag).toBe(etag);
    expect((await fail(s3.send(new CopyObjectCommand({ Bucket, Key: "cond", CopySource: `${Bucket}/cond` }))))?.name).toBe("InvalidRequest");
  });

  it("verifies Content-MD5 and checksums, and refuses DeleteObjects of more than 1,000 keys", async () => {
    const wrong = createHash("md5").update("other").digest("base64");
    expect((await fail(s3.send(new PutObjectCommand({ Bucket, Key: "md5", Body: "body", ContentMD5: wrong }))))?.name).toBe("BadDigest");
    const sha = createHash("sha256").update("other").digest("base64");
    expect((await fail(s3.send(new PutObjectCommand({ Bucket, Key: "sha", Body: "body", ChecksumSHA256: sha }))))?.name).toBe("BadDigest");
    await s3.send(new PutObjectCommand({ Bucket, Key: "sha", Body: "body", ChecksumSHA256: createHash("sha256").update("body").digest("base64") }));
    const many = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }));
    expect((await fail(s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: many } }))))?.name).toBe("MalformedXML");
  });

  it("answers an ACL and NotImplemented, never the object's body, for subresources", async () => {
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: "sha" }))).Grants?.[0]?.Permission).toBe("FULL_CONTROL");
    const res = await fetch(`${files.attributes.endpoint}/${Bucket}/sha?torrent`);
    expect(res.status).toBe(501);
    expect(await res.text()).toContain("<Code>NotImplemented</Code>");
  });

  it("lists v1 with a delimiter page by page, continuing after a common prefix", async () => {
    for (const key of ["a/1", "a/2", "b", "c/1"]) await s3.send(new PutObjectCommand({ Bucket: "test-local-history", Key: key, Body: key }));
    const first = await s3.send(new ListObjectsCommand({ Bucket: "test-local-history", Delimiter: "/", MaxKeys: 1 }));
    expect([first.CommonPrefixes?.map((p) => p.Prefix), first.NextMarker, first.IsTruncated]).toEqual([["a/"], "a/", true]);
    const second = await s3.send(new ListObjectsCommand({ Bucket: "test-local-history", Delimiter: "/", MaxKeys: 5, Marker: first.NextMarker }));
    expect([second.Contents?.map((c) => c.Key), second.CommonPrefixes?.map((p) => p.Prefix)]).toEqual([["b"], ["c/"]]);
    const invalid = await fetch(`${files.attributes.endpoint}/${Bucket}?max-keys=ten`);
    expect([invalid.status, (await invalid.text()).includes("<Code>InvalidArgument</Code>")]).toEqual([400, true]);
  });

  it("refuses parts under 5 MiB but the last, lists uploads, and answers a repeated complete as S3 does", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "mp" }));
    const small = await s3.send(new UploadPartCommand({ Bucket, Key: "mp", UploadId, PartNumber: 1, Body: "small" }));
    const last = await s3.send(new UploadPartCommand({ Bucket, Key: "mp", UploadId, PartNumber: 2, Body: "last" }));
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads?.map((u) => u.UploadId)).toEqual([UploadId]);
    const parts = [
      { PartNumber: 1, ETag: small.ETag },
      { PartNumber: 2, ETag: last.ETag },
    ];
    const complete = () => s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "mp", UploadId, MultipartUpload: { Parts: parts } }));
    expect((await fail(complete()))?.name).toBe("EntityTooSmall");
    const big = await s3.send(new UploadPartCommand({ Bucket, Key: "mp", UploadId, PartNumber: 1, Body: Buffer.alloc(5 * 1024 * 1024, 1) }));
    parts[0] = { PartNumber: 1, ETag: big.ETag };
    const first = await complete();
    expect((await complete()).ETag).toBe(first.ETag);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "mp", PartNumber: 2 }));
    expect([head.PartsCount, head.ContentLength]).toEqual([2, 4]);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads ?? []).toEqual([]);
  });
});
