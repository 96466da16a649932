/**
 * A local Postgres: the machine's own server binaries in a private cluster when installed, else an
 * embedded one (PGlite, WASM) served over the wire protocol. `CAIRN_POSTGRES=embedded|native`
 * forces one. Data already in one kind's folder keeps that kind, so installing PostgreSQL later
 * never hides a database.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Postgres } from "../../../model/types.js";
import { type LocalResource, type ResourceContext, ResourceError } from "../types.js";
import { findPostgres, installHint } from "./binaries.js";
import { startNativePostgres } from "./native.js";

export type PostgresEngine = "native" | "embedded";

/** Which engine a start uses, and the binaries when native. */
export function choosePostgres(resource: Postgres, context: ResourceContext, env: NodeJS.ProcessEnv = process.env) {
  const forced = env.CAIRN_POSTGRES?.trim().toLowerCase();
  if (forced && forced !== "native" && forced !== "embedded" && forced !== "auto") {
    throw new ResourceError(resource.name, `CAIRN_POSTGRES="${env.CAIRN_POSTGRES}" is not a Postgres engine`, "Use native, embedded or auto.");
  }
  const binaries = forced === "embedded" ? null : findPostgres(resource.version, env);
  if (forced === "native" && !binaries) {
    throw new ResourceError(resource.name, "CAIRN_POSTGRES=native, but no PostgreSQL server binaries were found", installHint(resource.version));
  }
  const embeddedData = existsSync(join(context.dataDir, "pglite", "PG_VERSION"));
  const nativeData = existsSync(join(context.dataDir, "cluster", "PG_VERSION"));
  if (forced !== "native" && (forced === "embedded" || !binaries || (embeddedData && !nativeData))) return { engine: "embedded" as const, binaries: null };
  return { engine: "native" as const, binaries };
}

/** Starts the local Postgres for `resource`. */
export async function startPostgres(resource: Postgres, context: ResourceContext): Promise<LocalResource> {
  const choice = choosePostgres(resource, context);
  if (choice.engine === "native" && choice.binaries) {
    if (choice.binaries.major !== resource.version) {
      context.log(`PostgreSQL ${resource.version} is not installed; using ${choice.binaries.major} from ${choice.binaries.bindir}`);
    }
    return startNativePostgres(resource, context, choice.binaries);
  }
  const { startEmbeddedPostgres } = await import("./embedded.js");
  return startEmbeddedPostgres(resource, context);
}
