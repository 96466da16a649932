/**
 * The local S3 endpoint: one HTTP server on loopback for every bucket of a stack (processes see
 * one `S3_ENDPOINT`), path-style (`/bucket/key`) or virtual-hosted (`bucket.host`) requests.
 * Signatures are not verified: any access key works, as the endpoint only listens on loopback.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { guard, guardClientErrors } from "../../http/guard.js";
import { readText } from "./body.js";
import { listObjects, listVersions } from "./listing.js";
import { abortUpload, completeUpload, createUpload, listParts, uploadPart } from "./multipart.js";
import { copyObject, deleteObject, getObject, putObject } from "./objects.js";
import type { BucketStore } from "./store.js";
import { blocks, el, S3Error, sendError, sendXml, tagValues } from "./xml.js";

export class S3Server {
  readonly buckets = new Map<string, BucketStore>();
  private server: Server | null = null;
  port = 0;

  constructor(readonly host: string) {}

  async listen(port: number): Promise<void> {
    const server = createServer(guard((req, res) => this.handle(req, res), { name: "s3" }));
    guardClientErrors(server);
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: this.host, port, exclusive: true }, () => resolve());
    });
    const address = server.address();
    this.port = typeof address === "object" && address ? address.port : port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  private store(name: string): BucketStore {
    const store = this.buckets.get(name);
    if (!store) throw new S3Error(404, "NoSuchBucket", `The specified bucket does not exist: ${name}`);
    return store;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local");
    let bucket = "";
    let key = "";
    const hostname = (req.headers.host ?? "").replace(/:\d+$/, "");
    const label = hostname.split(".")[0] ?? "";
    if (hostname !== this.host && hostname.includes(".") && this.buckets.has(label)) {
      bucket = label;
      key = decodeURIComponent(url.pathname.slice(1));
    } else {
      const path = url.pathname.slice(1);
      const slash = path.indexOf("/");
      bucket = decodeURIComponent(slash < 0 ? path : path.slice(0, slash));
      key = slash < 0 ? "" : decodeURIComponent(path.slice(slash + 1));
    }
    const head = req.method === "HEAD";
    try {
      if (!bucket) return this.service(req, res);
      const store = this.store(bucket);
      if (!key) return await this.bucket(store, req, url, res);
      return await this.object(store, key, req, url, res);
    } catch (error) {
      req.resume();
      const s3 = error instanceof S3Error ? error : new S3Error(500, "InternalError", (error as Error).message);
      sendError(res, s3, url.pathname, head);
    }
  }

  private service(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== "GET") throw new S3Error(405, "MethodNotAllowed", "Only GET is allowed here");
    const list = [...this.buckets.keys()].sort().map((name) => el("Bucket", el("Name", name), el("CreationDate", "2020-01-01T00:00:00.000Z")));
    sendXml(res, 200, "ListAllMyBucketsResult", el("Owner", el("ID", "cairn"), el("DisplayName", "cairn")), el("Buckets", ...list));
  }

  private async bucket(store: BucketStore, req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
    const q = url.searchParams;
    switch (req.method) {
      case "HEAD":
        res.writeHead(200, { "x-amz-bucket-region": "us-east-1" });
        return void res.end();
      case "PUT":
        // CreateBucket on a declared bucket, and bucket settings (policy, CORS...) are accepted as no-ops.
        await readText(req);
        res.writeHead(200, { location: `/${store.name}` });
        return void res.end();
      case "GET":
        if (q.has("versioning")) return sendXml(res, 200, "VersioningConfiguration", store.versioning ? el("Status", "Enabled") : null);
        if (q.has("location")) return sendXml(res, 200, "LocationConstraint");
        if (q.has("versions")) return listVersions(store, url, res);
        if (q.has("uploads")) return sendXml(res, 200, "ListMultipartUploadsResult", el("Bucket", store.name), el("IsTruncated", false));
        return listObjects(store, url, res);
      case "POST":
        if (q.has("delete")) return this.deleteMany(store, await readText(req), res);
        break;
      case "DELETE":
        if (!store.isEmpty()) throw new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
        res.writeHead(204);
        return void res.end();
    }
    throw new S3Error(405, "MethodNotAllowed", `${req.method} is not supported on a bucket here`);
  }

  private async deleteMany(store: BucketStore, body: string, res: ServerResponse): Promise<void> {
    const quiet = tagValues(body, "Quiet")[0] === "true";
    const results = [];
    for (const object of blocks(body, "Object")) {
      const key = tagValues(object, "Key")[0] ?? "";
      const versionId = tagValues(object, "VersionId")[0] ?? null;
      const done = await store.delete(key, versionId);
      if (!quiet) {
        results.push(el("Deleted", el("Key", key), versionId ? el("VersionId", versionId) : null, done.deleteMarker ? el("DeleteMarker", true) : null));
      }
    }
    sendXml(res, 200, "DeleteResult", ...results);
  }

  private async object(store: BucketStore, key: string, req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
    const q = url.searchParams;
    const stores = (name: string) => this.store(name);
    switch (req.method) {
      case "PUT":
        if (q.has("uploadId")) return uploadPart(store, key, url, req, res, stores);
        if (q.has("tagging") || q.has("acl")) {
          await readText(req);
          res.writeHead(200);
          return void res.end();
        }
        if (req.headers["x-amz-copy-source"]) return copyObject(stores, store, key, req, res);
        return putObject(store, key, req, res);
      case "GET":
        if (q.has("uploadId")) return listParts(store, key, url, res);
        if (q.has("tagging")) return sendXml(res, 200, "Tagging", el("TagSet"));
        return getObject(store, key, url, req, res, false);
      case "HEAD":
        return getObject(store, key, url, req, res, true);
      case "DELETE":
        if (q.has("uploadId")) return abortUpload(store, key, url, res);
        return deleteObject(store, key, url, res);
      case "POST":
        if (q.has("uploads")) return createUpload(store, key, req, res);
        if (q.has("uploadId")) return completeUpload(store, key, url, await readText(req), res);
        break;
    }
    throw new S3Error(405, "MethodNotAllowed", `${req.method} is not supported on an object here`);
  }
}
