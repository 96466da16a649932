/** A local S3-compatible bucket. */
import type { Bucket } from "../../../model/types.js";
import { type LocalResource, type ResourceContext, ResourceError } from "../types.js";

export async function startBucket(resource: Bucket, _context: ResourceContext): Promise<LocalResource> {
  throw new ResourceError(resource.name, "local buckets are not available yet", "Use an external bucket for now.");
}
