/**
 * A data store running on this machine for `cairn up`: started before the services that use it,
 * health-checked, stopped cleanly, its data kept under the project's state folder.
 */
import type { Resource } from "../../model/types.js";

/** Values of the attributes a process may reference (`${db.url}`), by attribute name. */
export type ResourceAttributes = Readonly<Record<string, string>>;

export interface ResourceContext {
  /** Folder for this resource's data and logs, such as `<project>/.cairn/local/resources/db`. */
  readonly dataDir: string;
  /** Stack and environment names, for deterministic physical names. */
  readonly stack: string;
  readonly environment: string;
  /** Host to bind (default 127.0.0.1). */
  readonly host: string;
  /** Folder of the stack file: relative paths (a bucket's seed) are resolved from it. */
  readonly root: string;
  readonly log: (line: string) => void;
  /** Region given to SDKs for buckets and tables (the environment's region); default us-east-1. */
  readonly region?: string;
}

export interface LocalResource {
  readonly name: string;
  readonly type: Resource["type"];
  /** The attributes of `references.ts`'s `resourceAttributes` for this type, all filled. */
  readonly attributes: ResourceAttributes;
  /** Pid of the server process when it is one (ps shows it), else null. */
  readonly pid: number | null;
  /** True when the resource answers right now. */
  healthy(): Promise<boolean>;
  /** Stops it; data stays on disk. Idempotent. */
  close(): Promise<void>;
}

/** Starts a resource of one type; rejects with a `ResourceError` saying what to do. */
export type StartResource = (resource: Resource, context: ResourceContext) => Promise<LocalResource>;

/** A resource that cannot start, with what the user should do. Never loses data to recover. */
export class ResourceError extends Error {
  constructor(
    readonly resource: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "ResourceError";
  }
}
