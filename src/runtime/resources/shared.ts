/**
 * Endpoints shared by several resources of one stack: every bucket answers on one S3 endpoint and
 * every table on one DynamoDB endpoint, because processes get a single `S3_ENDPOINT` and
 * `DYNAMODB_ENDPOINT`. The first resource to start opens the server; the last to close stops it.
 */
import { dirname } from "node:path";
import type { ResourceContext } from "./types.js";

interface Entry<S> {
  readonly server: Promise<S>;
  readonly users: Set<string>;
}

const registry = new Map<string, Entry<unknown>>();

/** One server per kind, host and resources folder (so two stacks in one process stay apart). */
export function sharedKey(kind: string, context: ResourceContext): string {
  return `${kind}|${context.host}|${dirname(context.dataDir)}`;
}

/** The shared server for `key`, created by `open` when none runs; `user` is counted. */
export async function acquire<S>(key: string, user: string, open: () => Promise<S>): Promise<S> {
  let entry = registry.get(key) as Entry<S> | undefined;
  if (!entry) {
    entry = { server: open(), users: new Set() };
    registry.set(key, entry);
    entry.server.catch(() => registry.delete(key));
  }
  const server = await entry.server;
  entry.users.add(user);
  return server;
}

/** Drops `user`; when none is left, `close` runs on the server. */
export async function release<S>(key: string, user: string, close: (server: S) => Promise<void>): Promise<void> {
  const entry = registry.get(key) as Entry<S> | undefined;
  if (!entry) return;
  entry.users.delete(user);
  if (entry.users.size > 0) return;
  registry.delete(key);
  await close(await entry.server);
}
