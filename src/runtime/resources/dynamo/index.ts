/** A local DynamoDB-compatible table. */
import type { Table } from "../../../model/types.js";
import { type LocalResource, type ResourceContext, ResourceError } from "../types.js";

export async function startTable(resource: Table, _context: ResourceContext): Promise<LocalResource> {
  throw new ResourceError(resource.name, "local tables are not available yet", "Use an external table for now.");
}
