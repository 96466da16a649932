/**
 * What a private Postgres cluster does once it answers: the app's role and database, the extensions,
 * attributes and health. The app's role owns its database and nothing more (no superuser, no CREATEDB,
 * no CREATEROLE), so an app cannot `COPY ... TO PROGRAM` or read the server's files; extensions are
 * created by the cluster's superuser, which logs in only through the private socket folder.
 */
import pg from "pg";
import type { Postgres } from "../../../model/types.js";
import { type ResourceAttributes, ResourceError } from "../types.js";
import { LOCAL_USER } from "./cluster.js";

/** The role every process of the stack connects as: it owns the stack's database. */
export const APP_USER = "app";

/** How to reach a server: `host` is an address, or the socket folder for the superuser. */
export interface Login {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
}

export function postgresAttributes(host: string, port: number, database: string, user: string, password: string): ResourceAttributes {
  return {
    url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}`,
    host,
    port: String(port),
    user,
    password,
    database,
  };
}

/** True when a query answers for `login` within two seconds. */
export async function canConnect(login: Login, database = "postgres"): Promise<boolean> {
  const client = new pg.Client({ ...login, database, connectionTimeoutMillis: 2000 });
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
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

async function connect(login: Login, database: string): Promise<pg.Client> {
  const client = new pg.Client({ ...login, database });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/**
 * Tables, sequences and views an earlier Cairn created as the superuser (apps used to connect as it) go to
 * the app's role, so its data stays its own. Objects of extensions stay with the superuser.
 */
const HAND_OVER = `
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = ${literal(LOCAL_USER)})
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
  LOOP
    EXECUTE format('ALTER TABLE %I.%I OWNER TO ${APP_USER}', r.nspname, r.relname);
  END LOOP;
END $$`;

/** Gives the app's role what the superuser owns in `database` (after a restore run as the superuser). */
export async function handOver(admin: Login, database: string): Promise<void> {
  const db = await connect(admin, database);
  try {
    await db.query(HAND_OVER);
  } finally {
    await db.end();
  }
}

/**
 * As the superuser `admin`: the app's role (created, or brought back to no privileges and its password),
 * the database it owns, and the extensions the stack names. A missing extension is a ResourceError whose
 * hint `missing(extension)` gives.
 */
export async function prepareDatabase(resource: Postgres, admin: Login, appPassword: string, missing: (extension: string) => { hint: string }): Promise<void> {
  const server = await connect(admin, "postgres");
  try {
    const role = `${ident(APP_USER)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal(appPassword)}`;
    const exists = await server.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_USER]);
    await server.query(exists.rowCount === 0 ? `CREATE ROLE ${role}` : `ALTER ROLE ${role}`);
    const found = await server.query("SELECT 1 FROM pg_database WHERE datname = $1", [resource.database]);
    if (found.rowCount === 0) await server.query(`CREATE DATABASE ${ident(resource.database)} OWNER ${ident(APP_USER)}`);
    else await server.query(`ALTER DATABASE ${ident(resource.database)} OWNER TO ${ident(APP_USER)}`);
  } finally {
    await server.end();
  }
  const db = await connect(admin, resource.database);
  try {
    for (const extension of resource.extensions) {
      const available = await db.query("SELECT 1 FROM pg_available_extensions WHERE name = $1", [extension]);
      if (available.rowCount === 0) {
        throw new ResourceError(resource.name, `the PostgreSQL extension "${extension}" is not available on this server`, missing(extension).hint);
      }
      await db.query(`CREATE EXTENSION IF NOT EXISTS ${ident(extension)}`);
    }
    await db.query(HAND_OVER);
  } finally {
    await db.end();
  }
}
