/**
 * `<dataDir>/endpoint.json`: where a started resource answers, written when it starts, so that
 * `cairn psql`, `cairn backup` and a later start (to keep the same port) can find it.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Resource } from "../../model/types.js";
import type { ResourceAttributes } from "./types.js";

export interface Endpoint {
  readonly type: Resource["type"];
  readonly host: string;
  readonly port: number;
  /** Server process (postgres, redis-server) or null when it runs inside the owner. */
  readonly pid: number | null;
  /** The process that started it (`cairn up`); a live owner means the resource is in use. */
  readonly owner: number;
  /** "native" or "embedded" for postgres, else the type. */
  readonly engine: string;
  readonly attributes: ResourceAttributes;
  readonly startedAt: string;
}

export const endpointFile = (dataDir: string) => join(dataDir, "endpoint.json");

/** Writes the endpoint atomically (temporary file, then rename). */
export async function writeEndpoint(dataDir: string, endpoint: Endpoint): Promise<void> {
  const file = endpointFile(dataDir);
  await writeFile(`${file}.tmp`, `${JSON.stringify(endpoint, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/** The last endpoint written, or null when the resource never started. */
export async function readEndpoint(dataDir: string): Promise<Endpoint | null> {
  try {
    return JSON.parse(await readFile(endpointFile(dataDir), "utf8")) as Endpoint;
  } catch {
    return null;
  }
}

/** True when a process with this pid exists. */
export function alive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Records that the resource stopped: the port stays as a preference for the next start. */
export async function markStopped(dataDir: string): Promise<void> {
  const endpoint = await readEndpoint(dataDir);
  if (endpoint && endpoint.owner === process.pid) await writeEndpoint(dataDir, { ...endpoint, pid: null, owner: 0 });
}

/** Throws the message `inUse(owner)` when another live process holds the resource. */
export function assertNotInUse(endpoint: Endpoint | null, inUse: (owner: number) => Error): void {
  if (endpoint?.owner && endpoint.owner !== process.pid && alive(endpoint.owner)) throw inUse(endpoint.owner);
}
