/**
 * Where raw files come from: the raw bucket (S3 or the local endpoint) or, for development and the
 * benchmark, a folder on disk. Both list keys under a prefix and open one key as a byte stream.
 */
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";

/** Raw files in a folder laid out like the bucket (`traffic/…`, `bikes/…`, `chantiers/…`). */
export function folderSource(root) {
  return {
    describe: () => root,
    async list(prefix) {
      const entries = await readdir(join(root, prefix), { recursive: true, withFileTypes: true }).catch((e) => (e.code === "ENOENT" ? [] : Promise.reject(e)));
      return entries
        .filter((e) => e.isFile())
        .map((e) =>
          relative(root, join(e.parentPath ?? e.path, e.name))
            .split(sep)
            .join("/"),
        )
        .sort();
    },
    async open(key) {
      return createReadStream(join(root, key), { highWaterMark: 1 << 16 });
    },
  };
}

/** Raw files in a bucket; objects are read as streams, never buffered whole. */
export function bucketSource(s3, bucket) {
  return {
    describe: () => `s3://${bucket}`,
    async list(prefix) {
      const keys = [];
      let token;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith("/")) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async open(key) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return object.Body;
    },
  };
}
