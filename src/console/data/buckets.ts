/** A local bucket for the data page, through its own S3 endpoint: objects listed by page, downloaded. */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

export const PAGE_SIZE = 200;

function client(endpoint: string, region: string): S3Client {
  return new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId: "cairn", secretAccessKey: "cairn" }, maxAttempts: 1 });
}

export interface ObjectEntry {
  readonly key: string;
  readonly size: number;
  readonly modified: string | null;
}

/** One page of objects under `prefix`; `next` continues the listing. */
export async function listObjects(
  endpoint: string,
  region: string,
  bucket: string,
  prefix: string,
  token: string | undefined,
): Promise<{ objects: ObjectEntry[]; next: string | null }> {
  const s3 = client(endpoint, region);
  try {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token, MaxKeys: PAGE_SIZE }));
    return {
      objects: (page.Contents ?? []).map((o) => ({ key: o.Key ?? "", size: o.Size ?? 0, modified: o.LastModified?.toISOString() ?? null })),
      next: page.NextContinuationToken ?? null,
    };
  } finally {
    s3.destroy();
  }
}

/** An object's body as a stream, with its type and length. */
export async function readObject(endpoint: string, region: string, bucket: string, key: string) {
  const s3 = client(endpoint, region);
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return {
    body: object.Body as NodeJS.ReadableStream,
    type: object.ContentType ?? "application/octet-stream",
    length: object.ContentLength ?? null,
    done: () => s3.destroy(),
  };
}
