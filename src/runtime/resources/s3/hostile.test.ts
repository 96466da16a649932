/** Hostile input to the S3 endpoint: malformed paths, oversize bodies and fuzzed raw requests never end it. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostileRequest } from "../testing/hostile.js";
import { sendRaw, streamUntilAnswered } from "../testing/raw-http.js";
import { MAX_XML_BODY } from "./body.js";
import { S3Server } from "./server.js";
import { BucketStore } from "./store.js";

describe("the S3 endpoint under hostile input", () => {
  let dir: string;
  let server: S3Server;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cairn-s3-hostile-"));
    server = new S3Server("127.0.0.1", join(dir, "runtime"));
    await server.listen(0);
    server.buckets.set("kept", await BucketStore.open("kept", join(dir, "kept"), false));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers a malformed path with InvalidURI and the request id of its header", async () => {
    for (const path of ["/%", "//", "/%ZZ/x", "/kept/%C2%80", "/kept/%E0%A4%A"]) {
      const answer = await sendRaw(server.port, `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`);
      expect(answer.status, path).toBe(400);
      expect(answer.text, path).toContain("<Code>InvalidURI</Code>");
      const id = /x-amz-request-id: (\w+)/i.exec(answer.text)?.[1];
      expect(id, path).toBeTruthy();
      expect(answer.text).toContain(`<RequestId>${id}</RequestId>`);
    }
  });

  it("refuses an XML body over the limit from its length, before reading it", async () => {
    const answer = await sendRaw(server.port, `PUT /newbucket HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: ${1024 ** 3}\r\n\r\n<Create`);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain("<Code>MaxMessageLengthExceeded</Code>");
  });

  it("stops reading a chunked XML body at the limit (DeleteObjects, CompleteMultipartUpload)", async () => {
    for (const path of ["/kept?delete", "/kept/k?uploadId=abc"]) {
      const head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n\r\n`;
      const { sent, answer } = await streamUntilAnswered(server.port, head, 256 * 1024 * 1024);
      expect(answer, path).toMatch(/^HTTP\/1\.1 (400|404)/);
      // What was sent before the answer: the limit plus what the sockets' buffers hold, far from 256 MiB.
      expect(sent, path).toBeLessThan(MAX_XML_BODY + 32 * 1024 * 1024);
    }
  });

  it("survives fuzzed raw requests, then answers a normal one", async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (bytes) => {
        const answer = await sendRaw(server.port, bytes, 1500);
        if (answer.status) answered++;
        expect(answer.status === 0 || (answer.status >= 200 && answer.status < 600)).toBe(true);
      }),
      { numRuns: 400, seed: 13 },
    );
    expect(answered).toBeGreaterThan(300);
    expect(server.listening).toBe(true);
    const s3 = new S3Client({
      endpoint: `http://127.0.0.1:${server.port}`,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    });
    await s3.send(new PutObjectCommand({ Bucket: "kept", Key: "after", Body: "still here" }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: "kept", Key: "after" }))).Body?.transformToString()).toBe("still here");
    s3.destroy();
  }, 120_000);
});
