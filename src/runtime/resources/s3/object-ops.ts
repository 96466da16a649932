/**
 * Requests on an object, routed by method and subresource. Subresources S3 has and Cairn does not keep
 * answer as an object with none set (ACL: the owner's full control; tags: none) or NotImplemented, never
 * with the object's body.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readText } from "./body.js";
import { DEFAULT_ACL } from "./bucket-ops.js";
import { abortUpload, completeUpload, createUpload, listParts, uploadPart } from "./multipart.js";
import { copyObject, deleteObject, found, getObject, putObject } from "./objects.js";
import type { BucketStore } from "./store.js";
import { el, S3Error, sendXml } from "./xml.js";

const ACCEPTED = new Set(["tagging", "acl", "retention", "legal-hold"]);
const OTHERS = ["attributes", "torrent", "restore", "select", "renameObject"];
const subresource = (query: URLSearchParams) => [...ACCEPTED, ...OTHERS, "uploads", "uploadId"].find((n) => query.has(n));

export async function objectRequest(
  store: BucketStore,
  key: string,
  req: IncomingMessage,
  query: URLSearchParams,
  res: ServerResponse,
  stores: (name: string) => BucketStore,
): Promise<void> {
  if (Buffer.byteLength(key) > 1024) throw new S3Error(400, "KeyTooLongError", "Your key is too long");
  const sub = subresource(query);
  switch (req.method) {
    case "PUT":
      if (sub === "uploadId") return uploadPart(store, key, query, req, res, stores);
      if (sub && ACCEPTED.has(sub)) {
        found(store, key, query.get("versionId"));
        await readText(req);
        res.writeHead(200, { "content-length": 0 });
        return void res.end();
      }
      if (sub) break;
      if (req.headers["x-amz-copy-source"] !== undefined) return copyObject(stores, store, key, req, res);
      return putObject(store, key, req, res);
    case "GET":
    case "HEAD": {
      const head = req.method === "HEAD";
      if (sub === "uploadId" && !head) return listParts(store, key, query, res);
      if (!sub) return getObject(store, key, query, req, res, head);
      const version = found(store, key, query.get("versionId"));
      if (sub === "tagging") return sendXml(res, 200, "Tagging", el("TagSet"));
      if (sub === "acl")
        return sendXml(res, 200, "AccessControlPolicy", { xml: DEFAULT_ACL.xml.replace(/^<AccessControlPolicy>|<\/AccessControlPolicy>$/g, "") });
      if (sub === "attributes") {
        const parts = version.parts ? el("ObjectParts", el("TotalPartsCount", version.parts.length)) : null;
        return sendXml(
          res,
          200,
          "GetObjectAttributesResponse",
          el("ETag", version.etag),
          el("ObjectSize", version.size),
          el("StorageClass", "STANDARD"),
          parts,
        );
      }
      break;
    }
    case "DELETE":
      if (sub === "uploadId") return abortUpload(store, key, query, res);
      if (sub === "tagging") {
        res.writeHead(204);
        return void res.end();
      }
      if (!sub) return deleteObject(store, key, query, res);
      break;
    case "POST":
      if (sub === "uploads") return createUpload(store, key, req, res);
      if (sub === "uploadId") return completeUpload(store, key, query, await readText(req), res);
      break;
  }
  if (sub) throw new S3Error(501, "NotImplemented", `?${sub} is not implemented by the local endpoint`);
  throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
}
