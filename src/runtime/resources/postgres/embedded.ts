/**
 * The embedded Postgres: PGlite (PostgreSQL compiled to WASM) with its data folder in the state
 * folder, served on a loopback port over the wire protocol. For machines without PostgreSQL.
 */
import { mkdir } from "node:fs/promises";
import type { Server } from "node:net";
import { join } from "node:path";
import type { Postgres } from "../../../model/types.js";
import { describeReport } from "../../http/guard.js";
import { freePort, portIsFree } from "../../ports.js";
import { storedPassword } from "../credentials.js";
import { assertNotInUse, markStopped, readEndpoint, writeEndpoint } from "../endpoint.js";
import { type LocalResource, type ResourceContext, ResourceError } from "../types.js";
import { installHint } from "./binaries.js";
import { APP_USER, canConnect, postgresAttributes } from "./database.js";
import { serveWire } from "./wire.js";

/** Loads the PGlite build of each contrib extension the stack names; others cannot run embedded. */
async function loadExtensions(resource: Postgres): Promise<Record<string, unknown>> {
  const extensions: Record<string, unknown> = {};
  for (const name of resource.extensions) {
    const key = name.replace(/-/g, "_");
    try {
      const module = (await import(`@electric-sql/pglite/contrib/${key}`)) as Record<string, unknown>;
      if (!module[key]) throw new Error("no such export");
      extensions[key] = module[key];
    } catch {
      throw new ResourceError(
        resource.name,
        `the extension "${name}" is not available in the embedded Postgres (PGlite)`,
        `${installHint(resource.version)} Cairn then runs a private PostgreSQL cluster with the extension's package installed${name.startsWith("postgis") ? ` (postgresql-${resource.version}-postgis-3)` : ""}.`,
      );
    }
  }
  return extensions;
}

export async function startEmbeddedPostgres(resource: Postgres, context: ResourceContext): Promise<LocalResource> {
  const dir = join(context.dataDir, "pglite");
  await mkdir(dir, { recursive: true });
  const previous = await readEndpoint(context.dataDir);
  assertNotInUse(
    previous,
    (owner) => new ResourceError(resource.name, `the embedded database is already open in process ${owner}`, "Stop that `cairn up` first (`cairn down`)."),
  );
  const extensions = await loadExtensions(resource);
  const { PGlite } = await import("@electric-sql/pglite");
  let db: InstanceType<typeof PGlite>;
  try {
    db = await PGlite.create({ dataDir: dir, username: "postgres", extensions: extensions as never });
  } catch (error) {
    throw new ResourceError(
      resource.name,
      `the embedded Postgres could not open ${dir}: ${(error as Error).message}`,
      "If the folder comes from another tool or version, move it away; Cairn never deletes it.",
    );
  }
  for (const name of resource.extensions) await db.exec(`CREATE EXTENSION IF NOT EXISTS "${name.replace(/"/g, "")}"`);
  const version = ((await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "17").split(" ")[0] ?? "17";

  const password = await storedPassword(context.dataDir, "postgres-app");
  const wanted = previous?.port;
  const port = await freePort(context.host, wanted);
  let server: Server;
  try {
    server = await serveWire(db, context.host, port, version, password, (report) => context.log(describeReport(report)));
  } catch (error) {
    await db.close();
    const taken = !(await portIsFree(port, context.host));
    throw new ResourceError(
      resource.name,
      `the embedded Postgres could not listen on ${context.host}:${port}: ${(error as Error).message}`,
      taken ? "Another program took the port; start again." : "Check the host address.",
    );
  }
  // PGlite has one user and runs inside Cairn: it cannot hold apps to a role (any user name is let in with
  // the password), but the URL has the same shape as a private cluster's, and its process has no
  // COPY ... TO PROGRAM, no server files and no shell to reach (WASM).
  const attributes = postgresAttributes(context.host, port, resource.database, APP_USER, password);
  await writeEndpoint(context.dataDir, {
    type: "postgres",
    host: context.host,
    port,
    pid: null,
    owner: process.pid,
    engine: "embedded",
    attributes,
    startedAt: new Date().toISOString(),
  });
  context.log(`embedded Postgres ${version} (PGlite) on ${context.host}:${port}`);
  let closing: Promise<void> | null = null;
  return {
    name: resource.name,
    type: "postgres",
    attributes,
    pid: null,
    healthy: async () => !db.closed && (await canConnect({ host: context.host, port, user: APP_USER, password })),
    close() {
      closing ??= (async () => {
        await new Promise<void>((r) => server.close(() => r()));
        await db.close();
        await markStopped(context.dataDir);
      })();
      return closing;
    },
  };
}
