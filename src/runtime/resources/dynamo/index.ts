/**
 * A local table: a DynamoDB-compatible endpoint on loopback, created with the declared keys, its
 * items on disk under the resource's folder. All tables of a stack share one endpoint.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Table } from "../../../model/types.js";
import { freePort } from "../../ports.js";
import { assertNotInUse, markStopped, readEndpoint, writeEndpoint } from "../endpoint.js";
import { acquire, release, sharedKey } from "../shared.js";
import { type LocalResource, type ResourceContext, ResourceError } from "../types.js";
import { DynamoServer } from "./server.js";
import { TableStore } from "./table-store.js";

interface TableFile {
  readonly name: string;
  readonly hash: string;
  readonly range: string | null;
}

/** Reads or writes `table.json`; refuses a folder of something else, or a table whose keys changed. */
async function checkFolder(resource: Table, dataDir: string, name: string): Promise<void> {
  const entries = await readdir(dataDir).catch(() => [] as string[]);
  const file = join(dataDir, "table.json");
  if (!entries.includes("table.json")) {
    if (entries.some((e) => e !== "endpoint.json")) {
      throw new ResourceError(
        resource.name,
        `${dataDir} holds files that are not a Cairn table (no table.json)`,
        "Move the folder away if its content is not needed; Cairn never deletes data to make a table start.",
      );
    }
    await mkdir(dataDir, { recursive: true });
    const table: TableFile = { name, hash: resource.hashKey, range: resource.rangeKey };
    await writeFile(file, `${JSON.stringify(table, null, 2)}\n`);
    return;
  }
  const found = JSON.parse(await readFile(file, "utf8")) as TableFile;
  if (found.hash !== resource.hashKey || found.range !== resource.rangeKey) {
    const was = `${found.hash}${found.range ? ` + ${found.range}` : ""}`;
    const now = `${resource.hashKey}${resource.rangeKey ? ` + ${resource.rangeKey}` : ""}`;
    throw new ResourceError(
      resource.name,
      `the table's data in ${dataDir} was written with the key ${was}, but the stack file now says ${now}`,
      "Put the key back, or move the folder away to start an empty table (Cairn never deletes it).",
    );
  }
}

export async function startTable(resource: Table, context: ResourceContext): Promise<LocalResource> {
  const name = resource.physicalName;
  await checkFolder(resource, context.dataDir, name);
  const previous = await readEndpoint(context.dataDir);
  assertNotInUse(
    previous,
    (owner) => new ResourceError(resource.name, `the table is already served by process ${owner}`, "Stop that `cairn up` first (`cairn down`)."),
  );
  let store: TableStore;
  try {
    store = await TableStore.open(name, join(context.dataDir, "data"), { hash: resource.hashKey, range: resource.rangeKey, types: {} });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new ResourceError(
      resource.name,
      `cannot open the table's data in ${context.dataDir}: ${e.message}`,
      e.code === "ENOSPC"
        ? "The disk is full: free space and start again."
        : "If the files were edited by hand, restore them from a backup; Cairn does not change them.",
    );
  }

  const region = context.region ?? "us-east-1";
  const key = sharedKey("dynamodb", context);
  const server = await acquire(key, resource.name, async () => {
    const dynamo = new DynamoServer(context.host, region);
    const port = await freePort(context.host, previous?.port);
    try {
      await dynamo.listen(port);
    } catch (error) {
      throw new ResourceError(
        resource.name,
        `the DynamoDB endpoint could not listen on ${context.host}:${port}: ${(error as Error).message}`,
        "Another program took the port; start again to pick another one.",
      );
    }
    return dynamo;
  });
  server.tables.set(name, store);
  server.declared.add(name);

  const endpoint = `http://${context.host}:${server.port}`;
  const attributes = { name, endpoint, region };
  await writeEndpoint(context.dataDir, {
    type: "table",
    host: context.host,
    port: server.port,
    pid: null,
    owner: process.pid,
    engine: "dynamodb",
    attributes,
    startedAt: new Date().toISOString(),
  });
  context.log(`table ${name} (${store.count} item${store.count === 1 ? "" : "s"}) on ${endpoint}`);
  let closing: Promise<void> | null = null;
  return {
    name: resource.name,
    type: "table",
    attributes,
    pid: null,
    healthy: async () => server.listening && server.tables.get(name) === store,
    close() {
      closing ??= (async () => {
        if (server.tables.get(name) === store) {
          server.tables.delete(name);
          server.declared.delete(name);
        }
        await store.close();
        await release(key, resource.name, (s: DynamoServer) => s.close());
        await markStopped(context.dataDir);
      })();
      return closing;
    },
  };
}
