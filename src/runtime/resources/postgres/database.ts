/** What every local Postgres does once it answers: attributes, health, database and extensions. */
import pg from "pg";
import type { Postgres } from "../../../model/types.js";
import { type ResourceAttributes, ResourceError } from "../types.js";
import { LOCAL_USER } from "./cluster.js";

/** Local connections are trusted on loopback; this placeholder password satisfies drivers that want one. */
export const LOCAL_PASSWORD = "cairn";

export function postgresAttributes(host: string, port: number, database: string): ResourceAttributes {
  return {
    url: `postgres://${LOCAL_USER}:${LOCAL_PASSWORD}@${host}:${port}/${encodeURIComponent(database)}`,
    host,
    port: String(port),
    user: LOCAL_USER,
    password: LOCAL_PASSWORD,
    database,
  };
}

/** True when a query answers on `host:port` within two seconds. */
export async function canConnect(host: string, port: number, database = "postgres"): Promise<boolean> {
  const client = new pg.Client({ host, port, user: LOCAL_USER, password: LOCAL_PASSWORD, database, connectionTimeoutMillis: 2000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Creates the database when missing and the extensions the stack names. A missing extension is a
 * ResourceError whose hint `missing(extension)` gives.
 */
export async function prepareDatabase(
  resource: Postgres,
  host: string,
  port: number,
  user: string,
  missing: (extension: string) => { hint: string },
  options: { createDatabase?: boolean } = {},
): Promise<void> {
  const connect = async (database: string) => {
    const client = new pg.Client({ host, port, user, password: LOCAL_PASSWORD, database });
    client.on("error", () => {});
    await client.connect();
    return client;
  };
  if (options.createDatabase !== false) {
    const admin = await connect("postgres");
    try {
      const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [resource.database]);
      if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${ident(resource.database)}`);
    } finally {
      await admin.end();
    }
  }
  if (resource.extensions.length === 0) return;
  const db = await connect(options.createDatabase === false ? "postgres" : resource.database);
  try {
    for (const extension of resource.extensions) {
      const available = await db.query("SELECT 1 FROM pg_available_extensions WHERE name = $1", [extension]);
      if (available.rowCount === 0) {
        throw new ResourceError(resource.name, `the PostgreSQL extension "${extension}" is not available on this server`, missing(extension).hint);
      }
      await db.query(`CREATE EXTENSION IF NOT EXISTS ${ident(extension)}`);
    }
  } finally {
    await db.end();
  }
}
