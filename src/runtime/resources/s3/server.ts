/**
 * The local S3 endpoint: one HTTP server on loopback for every bucket of a stack (processes see one
 * `S3_ENDPOINT`), path-style (`/bucket/key`) or virtual-hosted (`bucket.host`) requests. The stack's
 * buckets are there from the start; CreateBucket adds others (kept under `runtimeDir`, listed by
 * `cairn ps` as created at run time). Signatures are not verified: any access key works, as the
 * endpoint only listens on loopback. Every answer carries a request id, errors too.
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { type GuardReport, guard, guardClientErrors, newRequestId } from "../../http/guard.js";
import { readText } from "./body.js";
import { bucketRequest } from "./bucket-ops.js";
import { bucketNameProblem } from "./names.js";
import { objectRequest } from "./object-ops.js";
import { BucketStore } from "./store.js";
import { parseTarget } from "./target.js";
import { el, S3Error, sendError, sendXml } from "./xml.js";

export class S3Server {
  readonly buckets = new Map<string, BucketStore>();
  /** Buckets the stack file declares: DeleteBucket leaves them alone. */
  readonly declared = new Set<string>();
  private server: Server | null = null;
  port = 0;
  /** Told of each request a throw answered (the guard's report), for the log. */
  onError: ((report: GuardReport) => void) | undefined;

  /** `runtimeDir`: where buckets made by CreateBucket keep their objects (null: CreateBucket refused). */
  constructor(
    readonly host: string,
    readonly runtimeDir: string | null = null,
  ) {}

  async listen(port: number): Promise<void> {
    if (this.runtimeDir) await this.openRuntimeBuckets(this.runtimeDir);
    const server = createServer(
      guard((req, res) => this.handle(req, res), {
        name: "s3",
        onError: (report) => this.onError?.(report),
        answer: (res, status, requestId, error) =>
          sendError(
            res,
            status === 400
              ? new S3Error(400, "InvalidURI", "Couldn't parse the specified URI.")
              : new S3Error(500, "InternalError", String((error as Error)?.message)),
            "",
            false,
            requestId,
          ),
      }),
    );
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

  /** Buckets created at run time, from an earlier run. */
  private async openRuntimeBuckets(dir: string): Promise<void> {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!bucketNameProblem(name) && !this.buckets.has(name)) this.buckets.set(name, await BucketStore.open(name, join(dir, name), false));
    }
  }

  store(name: string): BucketStore {
    const store = this.buckets.get(name);
    if (!store) throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist");
    return store;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    res.setHeader("x-amz-request-id", requestId);
    res.setHeader("x-amz-id-2", requestId);
    const head = req.method === "HEAD";
    let resource = "";
    try {
      const target = parseTarget(req.url ?? "/", String(req.headers.host ?? ""), this.host, (name) => this.buckets.has(name));
      resource = target.path;
      if (!target.bucket) return this.service(req, target.query, res);
      if (!target.key) {
        if (target.query.size === 0 && req.method === "PUT") return await this.createBucket(target.bucket, req, res);
        if (target.query.size === 0 && req.method === "DELETE") return await this.deleteBucket(target.bucket, res);
        return await bucketRequest(this.store(target.bucket), req, target.query, res);
      }
      return await objectRequest(this.store(target.bucket), target.key, req, target.query, res, (name) => this.store(name));
    } catch (error) {
      const s3 = error instanceof S3Error ? error : new S3Error(500, "InternalError", (error as Error).message);
      // A body left unread (refused early, or an error before reading it) is not drained: the connection closes.
      if (!req.complete) res.setHeader("connection", "close");
      sendError(res, s3, resource, head, requestId);
    }
  }

  private service(req: IncomingMessage, query: URLSearchParams, res: ServerResponse): void {
    if (req.method !== "GET") throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    const max = Math.max(1, Math.min(10000, Number(query.get("max-buckets") ?? 10000) || 10000));
    const after = query.get("continuation-token") ? Buffer.from(query.get("continuation-token") ?? "", "base64url").toString() : "";
    const names = [...this.buckets.keys()].sort().filter((n) => n > after && n.startsWith(query.get("prefix") ?? ""));
    const page = names.slice(0, max);
    const list = page.map((name) => el("Bucket", el("Name", name), el("CreationDate", this.buckets.get(name)?.created ?? "")));
    const next = names.length > max ? el("ContinuationToken", Buffer.from(page.at(-1) ?? "").toString("base64url")) : null;
    sendXml(res, 200, "ListAllMyBucketsResult", el("Owner", el("ID", "cairn"), el("DisplayName", "cairn")), el("Buckets", ...list), next);
  }

  private async createBucket(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    await readText(req);
    if (!this.buckets.has(name)) {
      const problem = bucketNameProblem(name);
      if (problem) throw new S3Error(400, "InvalidBucketName", `The specified bucket is not valid: ${problem}`);
      if (!this.runtimeDir) throw new S3Error(403, "AccessDenied", "Buckets are declared in the stack file here");
      await mkdir(this.runtimeDir, { recursive: true });
      this.buckets.set(name, await BucketStore.open(name, join(this.runtimeDir, name), false));
    }
    // An existing bucket of ours answers 200, as S3's us-east-1 does (other regions: BucketAlreadyOwnedByYou).
    res.writeHead(200, { location: `/${name}`, "content-length": 0 });
    res.end();
  }

  private async deleteBucket(name: string, res: ServerResponse): Promise<void> {
    const store = this.store(name);
    if (!store.isEmpty()) throw new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
    if (this.declared.has(name)) throw new S3Error(409, "InvalidRequest", "The bucket is declared in the stack file; remove it there (its data stays on disk)");
    this.buckets.delete(name);
    await rm(store.dir, { recursive: true, force: true });
    res.writeHead(204);
    res.end();
  }
}
