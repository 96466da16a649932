/** A private PostgreSQL cluster from the machine's own server binaries, on a free loopback port. */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Postgres } from "../../../model/types.js";
import { freePort } from "../../ports.js";
import { commandLine, spawnServer, stopOrphan, tail, waitFor } from "../child.js";
import { storedPassword } from "../credentials.js";
import { alive, markStopped, readEndpoint, writeEndpoint } from "../endpoint.js";
import { type LocalResource, type ResourceContext, ResourceError } from "../types.js";
import { extensionPackage, type PostgresBinaries } from "./binaries.js";
import { createCluster, inspectCluster, LOCAL_USER, writeAccessRules } from "./cluster.js";
import { APP_USER, canConnect, type Login, postgresAttributes, prepareDatabase } from "./database.js";
import { checkReachable, serverUser } from "./unprivileged.js";

/** Stops a server that a previous `cairn up` left behind (it was killed), unless that owner still runs. */
async function takeOver(resource: string, cluster: string, dataDir: string): Promise<void> {
  const previous = await readEndpoint(dataDir);
  if (previous && previous.owner !== process.pid && alive(previous.owner) && alive(previous.pid)) {
    throw new ResourceError(resource, `the database is already running, started by process ${previous.owner}`, "Stop that `cairn up` first (`cairn down`).");
  }
  let pid = 0;
  try {
    pid = Number((await readFile(join(cluster, "postmaster.pid"), "utf8")).split("\n")[0]);
  } catch {
    return;
  }
  // Only a postgres process: after a reboot the pid in a stale file may belong to anything.
  if (pid > 0 && /postgres|postmaster/.test(commandLine(pid))) await stopOrphan(pid, "SIGINT");
}

export async function startNativePostgres(resource: Postgres, context: ResourceContext, binaries: PostgresBinaries): Promise<LocalResource> {
  const cluster = join(context.dataDir, "cluster");
  const socketDir = join(context.dataDir, "socket");
  const logFile = join(context.dataDir, "postgres.log");
  await mkdir(context.dataDir, { recursive: true });
  const user = serverUser();
  if (user) checkReachable(resource.name, cluster, user);

  const state = await inspectCluster(resource.name, cluster, binaries);
  if (state === "absent") {
    context.log(`creating a PostgreSQL ${binaries.major} cluster in ${cluster}${user ? ` (server runs as ${user.name})` : ""}`);
    await createCluster(resource.name, cluster, binaries, user, logFile);
  } else {
    await takeOver(resource.name, cluster, context.dataDir);
  }
  await writeAccessRules(cluster, user);
  await mkdir(socketDir, { recursive: true, mode: 0o700 });
  if (user) {
    const { chown } = await import("node:fs/promises");
    await chown(socketDir, user.uid, user.gid);
  }

  const port = await freePort(context.host, (await readEndpoint(context.dataDir))?.port);
  const args = ["-D", cluster, "-p", String(port), "-k", socketDir, "-c", `listen_addresses=${context.host}`, "-c", "logging_collector=off"];
  const child = spawnServer(join(binaries.bindir, "postgres"), args, { logFile, deathSignal: "SIGINT", user });
  const password = await storedPassword(context.dataDir, "postgres-app");
  const attributes = postgresAttributes(context.host, port, resource.database, APP_USER, password);
  const admin: Login = { host: socketDir, port, user: LOCAL_USER };
  const app: Login = { host: context.host, port, user: APP_USER, password };
  const ready = await waitFor(() => canConnect(admin), child, 60_000);
  if (ready !== "ready") {
    await child.stop("SIGINT", 10_000);
    const log = tail(logFile, 5);
    const hint = /Address already in use|could not bind/i.test(log)
      ? `Port ${port} was taken while the server started; start again to pick another one.`
      : /No space left/i.test(log)
        ? `The disk is full: free space on the disk holding ${cluster}.`
        : `See ${logFile}.`;
    throw new ResourceError(resource.name, `PostgreSQL did not start (${ready}): ${log.split("\n").at(-1) ?? ""}`, hint);
  }
  try {
    await prepareDatabase(resource, admin, password, (ext) => ({
      hint: `Install it with \`apt-get install ${extensionPackage(ext, binaries.major)}\` (or your system's package for PostgreSQL ${binaries.major}), then start again.`,
    }));
  } catch (error) {
    await child.stop("SIGINT", 15_000);
    throw error;
  }
  await writeEndpoint(context.dataDir, {
    type: "postgres",
    host: context.host,
    port,
    pid: child.pid,
    owner: process.pid,
    engine: "native",
    attributes,
    startedAt: new Date().toISOString(),
  });
  context.log(`PostgreSQL ${binaries.full} on ${context.host}:${port}`);
  return {
    name: resource.name,
    type: "postgres",
    attributes,
    pid: child.pid,
    healthy: () => canConnect(app, resource.database),
    close: () => child.stop("SIGINT", 30_000).then(() => markStopped(context.dataDir)),
  };
}
