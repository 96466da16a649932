import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { startResource } from "../index.js";
import { contextFor, resourceFrom, stateDir } from "../testing/index.js";
import { backupBucket } from "./bucket.js";

const YAML = "name: shop\nresources:\n  files: { type: bucket }\n";

describe("bucket backup", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("a disk that fills up fails the backup with the system's error, and many objects do not pile up listeners", async () => {
    const { dir, remove } = await stateDir("cairn-backup-full-");
    cleanups.push(remove);
    const bucket = await startResource(resourceFrom(YAML, "files"), contextFor(join(dir, "files"), dir));
    cleanups.push(() => bucket.close());
    const { name, endpoint } = bucket.attributes;
    const s3 = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    for (let i = 0; i < 30; i++) await s3.send(new PutObjectCommand({ Bucket: name, Key: `k${i}`, Body: "x".repeat(70_000) }));
    s3.destroy();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      await expect(backupBucket(bucket.attributes, "/dev/full")).rejects.toThrow(/ENOSPC/);
      expect(await backupBucket(bucket.attributes, join(dir, "ok.tar"))).toBe(30);
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });
});
