/**
 * Requests on a bucket (not an object): HeadBucket, listings, versioning, location, DeleteObjects, and
 * the settings subresources. Settings S3 keeps but Cairn does not apply (policy, CORS, lifecycle...) are
 * accepted on PUT and answer "not configured" on GET, as a fresh S3 bucket does; others NotImplemented.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readText } from "./body.js";
import { verifyDigests } from "./checksums.js";
import { listObjects, listVersions } from "./listing.js";
import { listUploads } from "./multipart.js";
import type { BucketStore } from "./store.js";
import { blocks, el, S3Error, sendXml, tagValues } from "./xml.js";

/** GET on these answers as a bucket where the setting was never made. */
const NOT_CONFIGURED: Record<string, [number, string, string]> = {
  policy: [404, "NoSuchBucketPolicy", "The bucket policy does not exist"],
  cors: [404, "NoSuchCORSConfiguration", "The CORS configuration does not exist"],
  lifecycle: [404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"],
  tagging: [404, "NoSuchTagSet", "The TagSet does not exist"],
  website: [404, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration"],
  "object-lock": [404, "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket"],
  replication: [404, "ReplicationConfigurationNotFoundError", "The replication configuration was not found"],
  ownershipControls: [404, "OwnershipControlsNotFoundError", "The bucket ownership controls were not found"],
  publicAccessBlock: [404, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"],
};
/** PUT and DELETE on these are accepted and not applied. */
const ACCEPTED = new Set([...Object.keys(NOT_CONFIGURED), "acl", "encryption", "notification", "logging", "accelerate", "requestPayment"]);
const OTHERS = ["analytics", "inventory", "metrics", "intelligent-tiering", "metadataTable", "session"];

export const DEFAULT_ACL = el(
  "AccessControlPolicy",
  el("Owner", el("ID", "cairn"), el("DisplayName", "cairn")),
  el(
    "AccessControlList",
    el(
      "Grant",
      {
        xml: `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>cairn</ID><DisplayName>cairn</DisplayName></Grantee>`,
      },
      el("Permission", "FULL_CONTROL"),
    ),
  ),
);

const subresource = (query: URLSearchParams) => [...ACCEPTED, ...OTHERS, "versioning", "location", "versions", "uploads", "delete"].find((n) => query.has(n));

export async function bucketRequest(store: BucketStore, req: IncomingMessage, query: URLSearchParams, res: ServerResponse): Promise<void> {
  const sub = subresource(query);
  if (req.method === "HEAD") {
    res.writeHead(200, { "x-amz-bucket-region": "us-east-1", "content-length": 0 });
    return void res.end();
  }
  if (req.method === "GET") {
    if (!sub) return listObjects(store, query, res);
    if (sub === "versioning") return sendXml(res, 200, "VersioningConfiguration", store.versioning ? el("Status", store.versioning) : null);
    if (sub === "location") return sendXml(res, 200, "LocationConstraint");
    if (sub === "versions") return listVersions(store, query, res);
    if (sub === "uploads") return listUploads(store, query, res);
    if (sub === "acl") return sendXml(res, 200, "AccessControlPolicy", ...inner(DEFAULT_ACL.xml));
    if (sub === "encryption") {
      const rule = el("Rule", el("ApplyServerSideEncryptionByDefault", el("SSEAlgorithm", "AES256")), el("BucketKeyEnabled", false));
      return sendXml(res, 200, "ServerSideEncryptionConfiguration", rule);
    }
    const missing = NOT_CONFIGURED[sub];
    if (missing) throw new S3Error(...missing);
  }
  if (req.method === "PUT" && sub === "versioning") return putVersioning(store, await readText(req), res);
  if ((req.method === "PUT" || req.method === "DELETE") && sub && ACCEPTED.has(sub)) {
    if (req.method === "PUT") await readText(req);
    res.writeHead(req.method === "PUT" ? 200 : 204, { "content-length": 0 });
    return void res.end();
  }
  if (req.method === "POST" && sub === "delete") return deleteMany(store, req, res);
  if (sub) throw new S3Error(501, "NotImplemented", `?${sub} is not implemented by the local endpoint`);
  throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
}

/** The children of an element's XML, to reuse it under another root. */
function inner(xml: string): Array<{ xml: string }> {
  return [{ xml: xml.replace(/^<[^>]+>/, "").replace(/<\/[^>]+>$/, "") }];
}

async function putVersioning(store: BucketStore, body: string, res: ServerResponse): Promise<void> {
  const status = tagValues(body, "Status")[0];
  if (status !== "Enabled" && status !== "Suspended")
    throw new S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
  await store.setVersioning(status);
  res.writeHead(200, { "content-length": 0 });
  res.end();
}

/** DeleteObjects: at most 1,000 keys, each answered Deleted (with the delete marker made or removed). */
async function deleteMany(store: BucketStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readText(req);
  verifyDigests(req.headers, Buffer.from(body));
  const objects = blocks(body, "Object");
  if (objects.length > 1000)
    throw new S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
  const quiet = tagValues(body, "Quiet")[0] === "true";
  const results = [];
  for (const object of objects) {
    const key = tagValues(object, "Key")[0] ?? "";
    const versionId = tagValues(object, "VersionId")[0] ?? null;
    const done = await store.delete(key, versionId);
    if (quiet) continue;
    const marker = done.deleteMarker ? [el("DeleteMarker", true), el("DeleteMarkerVersionId", done.versionId ?? "")] : [];
    results.push(el("Deleted", el("Key", key), versionId ? el("VersionId", versionId) : null, ...marker));
  }
  sendXml(res, 200, "DeleteResult", ...results);
}
