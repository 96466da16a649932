/**
 * The variable scheme: the names under which a process finds each resource it uses. The same
 * names are given locally, on a VM, in compose, Kubernetes and AWS; only the values differ.
 *
 *   postgres  db       -> DB_URL                       (postgres://user:password@host:port/database)
 *   redis     cache    -> CACHE_URL                    (redis://host:port)
 *   bucket    reports  -> REPORTS_BUCKET, S3_ENDPOINT   (endpoint empty on AWS: the SDK's default)
 *   table     metrics  -> METRICS_TABLE, DYNAMODB_ENDPOINT
 *   external  search   -> SEARCH_URL
 *   static    web      -> WEB_URL
 *   service   api      -> API_URL (internal URL, for services named in depends_on)
 * plus AWS_REGION for buckets and tables, and CAIRN_STACK, CAIRN_ENV for every process.
 */
import type { EnvVar, Resource, Template } from "./types.js";

/** `reports-raw` -> `REPORTS_RAW`. */
export function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

const ref = (name: string, attr: string): Template => [{ kind: "resource", name, attr }];

/** Variables Cairn gives a process for one resource it uses. */
export function resourceVariables(resource: Resource): EnvVar[] {
  const base = envName(resource.name);
  const v = (name: string, value: Template): EnvVar => ({ name, value, origin: "resource" });
  switch (resource.type) {
    case "postgres":
    case "redis":
    case "external":
    case "static":
      return [v(`${base}_URL`, ref(resource.name, "url"))];
    case "bucket":
      return [v(`${base}_BUCKET`, ref(resource.name, "name")), v("S3_ENDPOINT", ref(resource.name, "endpoint")), v("AWS_REGION", ref(resource.name, "region"))];
    case "table":
      return [
        v(`${base}_TABLE`, ref(resource.name, "name")),
        v("DYNAMODB_ENDPOINT", ref(resource.name, "endpoint")),
        v("AWS_REGION", ref(resource.name, "region")),
      ];
  }
}

/** Variable a process gets for a service it depends on. */
export function serviceVariable(service: string): EnvVar {
  return { name: `${envName(service)}_URL`, value: [{ kind: "service", name: service, attr: "url" }], origin: "resource" };
}

/**
 * Physical name of a bucket or table in every target: the file's `name:`, else the deterministic
 * `<stack>-<env>-<resource>`, lower-case. Never random, so a rebuild targets the same thing.
 */
export function physicalName(stack: string, environment: string, resource: string, given?: string): string {
  return given ?? `${stack}-${environment}-${resource}`.toLowerCase();
}
