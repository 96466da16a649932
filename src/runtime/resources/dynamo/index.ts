/**
 * A local table: a DynamoDB-compatible endpoint on loopback, the table created with the declared keys and
 * indexes, its data journaled under the resource's folder. All tables of a stack share one endpoint.
 */

import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Table } from "../../../model/types.js";
import { describeReport } from "../../http/guard.js";
import { freePort } from "../../ports.js";
import { assertNotInUse, markStopped, readEndpoint, writeEndpoint } from "../endpoint.js";
import { acquire, release, sharedKey } from "../shared.js";
import { type LocalResource, type ResourceContext, ResourceError } from "../types.js";
import { shapeOf, tableDefinition } from "./definition.js";
import { Journal } from "./journal.js";
import { loadTable } from "./load.js";
import { DynamoServer } from "./server.js";

interface TableFile {
  readonly name: string;
  readonly hash: string;
  readonly range: string | null;
  /** Key types and indexes as last started (older files have none). */
  readonly shape?: string;
}

/** Reads `table.json`; refuses a folder of something else, or a table whose keys changed. */
async function checkFolder(resource: Table, dataDir: string): Promise<TableFile | null> {
  const entries = await readdir(dataDir).catch(() => [] as string[]);
  if (!entries.includes("table.json")) {
    if (entries.some((e) => e !== "endpoint.json")) {
      throw new ResourceError(
        resource.name,
        `${dataDir} holds files that are not a Cairn table (no table.json)`,
        "Move the folder away if its content is not needed; Cairn never deletes data to make a table start.",
      );
    }
    return null;
  }
  const found = JSON.parse(await readFile(join(dataDir, "table.json"), "utf8")) as TableFile;
  if (found.hash !== resource.hashKey || found.range !== resource.rangeKey) {
    const was = `${found.hash}${found.range ? ` + ${found.range}` : ""}`;
    const now = `${resource.hashKey}${resource.rangeKey ? ` + ${resource.rangeKey}` : ""}`;
    throw new ResourceError(
      resource.name,
      `the table's data in ${dataDir} was written with the key ${was}, but the stack file now says ${now}`,
      "Put the key back, or move the folder away to start an empty table (Cairn never deletes it).",
    );
  }
  return found;
}

async function openJournal(resource: Table, dataDir: string) {
  try {
    return await Journal.open(join(dataDir, "data"));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new ResourceError(
      resource.name,
      `cannot open the table's data in ${dataDir}: ${e.message}`,
      e.code === "ENOSPC"
        ? "The disk is full: free space and start again."
        : "If the files were edited by hand, restore them from a backup; Cairn does not change them.",
    );
  }
}

export async function startTable(resource: Table, context: ResourceContext): Promise<LocalResource> {
  const name = resource.physicalName;
  const found = await checkFolder(resource, context.dataDir);
  const previous = await readEndpoint(context.dataDir);
  assertNotInUse(
    previous,
    (owner) => new ResourceError(resource.name, `the table is already served by process ${owner}`, "Stop that `cairn up` first (`cairn down`)."),
  );
  await mkdir(context.dataDir, { recursive: true });
  const { journal, ops } = await openJournal(resource, context.dataDir);

  const region = context.region ?? "us-east-1";
  const key = sharedKey("dynamodb", context);
  const server = await acquire(key, resource.name, async () => {
    const dynamo = new DynamoServer(context.host, region);
    dynamo.onError = (report) => context.log(describeReport(report));
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
  const definition = tableDefinition(name, resource);
  try {
    const count = await loadTable(server, { name, journal, ops, definition, dataDir: context.dataDir, reshape: found?.shape !== shapeOf(definition) });
    const file: TableFile = { name, hash: resource.hashKey, range: resource.rangeKey, shape: shapeOf(definition) };
    await writeFile(join(context.dataDir, "table.json"), `${JSON.stringify(file, null, 2)}\n`);
    context.log(`table ${name} (${count} item${count === 1 ? "" : "s"}) on http://${context.host}:${server.port}`);
  } catch (error) {
    server.forget(name);
    await release(key, resource.name, (s: DynamoServer) => s.close());
    if (error instanceof ResourceError) throw error;
    const message = (error as { body?: { message?: string } }).body?.message ?? (error as Error).message;
    throw new ResourceError(resource.name, `the table could not be created: ${message}`, "Check the table's keys and indexes in the stack file.");
  }

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
  let closing: Promise<void> | null = null;
  return {
    name: resource.name,
    type: "table",
    attributes,
    pid: null,
    healthy: async () => server.listening && server.journals.get(name) === journal,
    close() {
      closing ??= (async () => {
        if (server.journals.get(name) === journal) server.forget(name);
        await journal.close();
        await release(key, resource.name, (s: DynamoServer) => s.close());
        await markStopped(context.dataDir);
      })();
      return closing;
    },
  };
}
