/**
 * Local resources for `cairn up`: one start function per type, chosen by `resource.type`.
 * Each keeps its data in `context.dataDir` and writes `endpoint.json` there when it answers.
 */
import type { Resource } from "../../model/types.js";
import type { LocalResource, ResourceContext, StartResource } from "./types.js";

export { type Endpoint, readEndpoint } from "./endpoint.js";
export * from "./types.js";

/** A resource with nothing to run here: its attributes only. */
function passive(resource: Resource, attributes: Record<string, string>): LocalResource {
  return { name: resource.name, type: resource.type, attributes, pid: null, healthy: async () => true, close: async () => {} };
}

/** Starts the local form of one resource. Rejects with a `ResourceError` saying what to do. */
export const startResource: StartResource = async (resource: Resource, context: ResourceContext): Promise<LocalResource> => {
  switch (resource.type) {
    case "postgres":
      return (await import("./postgres/index.js")).startPostgres(resource, context);
    case "redis":
      return (await import("./redis.js")).startRedis(resource, context);
    case "bucket":
      return (await import("./s3/index.js")).startBucket(resource, context);
    case "table":
      return (await import("./dynamo/index.js")).startTable(resource, context);
    case "static":
      // Served by the gateway; the url is known once the gateway listens.
      return passive(resource, {});
    case "external":
      return passive(resource, {});
  }
};
