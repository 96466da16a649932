/**
 * `cairn backup RESOURCE [--out FILE]`: a backup of a local postgres or bucket. Also holds what
 * `cairn restore` and `cairn psql` share: finding a resource's local data and reaching it, through
 * the running `cairn up` when there is one, else by starting the resource for the command alone.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { Resource, Stack } from "../../model/types.js";
import { backupBucket } from "../../runtime/resources/backup/bucket.js";
import { BackupError, dumpEmbedded, dumpNative } from "../../runtime/resources/backup/postgres.js";
import { alive, type Endpoint, readEndpoint } from "../../runtime/resources/endpoint.js";
import { type LocalResource, ResourceError, startResource } from "../../runtime/resources/index.js";
import { choosePostgres } from "../../runtime/resources/postgres/index.js";
import { statePaths } from "../../runtime/stack-runner/state-dir.js";
import { type Context, paint, UserError } from "../context.js";
import { loadStackOrFail } from "../load-or-fail.js";

export interface ResourceOptions {
  readonly stack?: string;
  readonly env?: string;
  readonly json?: boolean;
}

export interface BackupSubject {
  readonly stack: Stack;
  readonly resource: Resource;
  readonly dataDir: string;
  /** The endpoint of the running `cairn up`, or null when the stack is stopped. */
  readonly running: Endpoint | null;
}

/** Finds `name` (or the only resource of `types`) in the stack and its local data folder. */
export async function findBackupSubject(
  name: string | undefined,
  types: readonly Resource["type"][],
  options: ResourceOptions,
  context: Context,
): Promise<BackupSubject> {
  const stack = await loadStackOrFail(options.stack ?? ".", context, options.env);
  const candidates = stack.resources.filter((r) => types.includes(r.type));
  const resource = name ? stack.resources.find((r) => r.name === name) : candidates.length === 1 ? candidates[0] : undefined;
  const list = candidates.map((r) => r.name).join(", ") || "none";
  if (!resource) {
    throw new UserError(
      name ? `no resource "${name}" in the stack` : `name the resource: the stack has ${candidates.length} of type ${types.join(" or ")}`,
      `Resources that fit: ${list}.`,
    );
  }
  if (!types.includes(resource.type))
    throw new UserError(`"${resource.name}" is a ${resource.type}; this command works on ${types.join(" and ")} resources`, `Resources that fit: ${list}.`);
  if (resource.placement !== "local") {
    throw new UserError(
      `"${resource.name}" is not local in environment ${stack.environment.name} (it is ${resource.placement})`,
      "Use the tools of where it runs, or pick a local environment with --env.",
    );
  }
  const dataDir = statePaths(stack.root, stack.environment.name).resources(resource.name);
  const endpoint = await readEndpoint(dataDir);
  const running = endpoint?.owner && alive(endpoint.owner) ? endpoint : null;
  return { stack, resource, dataDir, running };
}

/** The resource's attributes: from the running stack, or by starting it until `done` is called. */
export async function reach(
  target: BackupSubject,
  context: Context,
): Promise<{ attributes: Readonly<Record<string, string>>; engine: string; done: () => Promise<void> }> {
  if (target.running) return { attributes: target.running.attributes, engine: target.running.engine, done: async () => {} };
  let local: LocalResource;
  try {
    local = await startResource(target.resource, {
      dataDir: target.dataDir,
      stack: target.stack.name,
      environment: target.stack.environment.name,
      host: "127.0.0.1",
      root: target.stack.root,
      region: target.stack.environment.region,
      log: (line) => context.stderr.write(`${target.resource.name}: ${line}\n`),
    });
  } catch (error) {
    if (error instanceof ResourceError) throw new UserError(`${error.resource}: ${error.message}`, error.hint);
    throw error;
  }
  const engine = (await readEndpoint(target.dataDir))?.engine ?? target.resource.type;
  return { attributes: local.attributes, engine, done: () => local.close() };
}

/** Native or embedded, for a postgres resource. */
export function postgresEngine(target: BackupSubject): string {
  if (target.running) return target.running.engine;
  const ctx = {
    dataDir: target.dataDir,
    stack: target.stack.name,
    environment: target.stack.environment.name,
    host: "127.0.0.1",
    root: target.stack.root,
    log: () => {},
  };
  try {
    return choosePostgres(target.resource as never, ctx).engine;
  } catch (error) {
    if (error instanceof ResourceError) throw new UserError(error.message, error.hint);
    throw error;
  }
}

/** The embedded database is a single-process one: backups and restores need the stack stopped. */
export function requireStopped(target: BackupSubject): void {
  if (target.running) {
    throw new UserError(
      `the embedded Postgres "${target.resource.name}" is open in the running \`cairn up\` (pid ${target.running.owner})`,
      "Stop the stack with `cairn down`, run this again, then `cairn up`.",
    );
  }
}

export function asUserError(error: unknown): never {
  if (error instanceof BackupError) throw new UserError(error.message, error.hint);
  if (error instanceof Error && !(error instanceof UserError) && /ECONNREFUSED|not a tar|not a Cairn|lacks/.test(error.message))
    throw new UserError(error.message);
  throw error;
}

const stamp = (d: Date) => d.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`);

/** Takes the backup; returns the exit code. */
export async function backup(name: string, options: ResourceOptions & { out?: string }, context: Context): Promise<number> {
  const target = await findBackupSubject(name, ["postgres", "bucket"], options, context);
  const engine = target.resource.type === "postgres" ? postgresEngine(target) : "s3";
  const extension = target.resource.type === "bucket" ? "tar" : engine === "embedded" ? "tar.gz" : "dump";
  const out = resolve(context.cwd, options.out ?? `${target.resource.name}-${stamp(context.now())}.${extension}`);
  let objects: number | null = null;
  try {
    if (target.resource.type === "postgres" && engine === "embedded") {
      requireStopped(target);
      await dumpEmbedded(target.dataDir, out);
    } else {
      const reached = await reach(target, context);
      try {
        if (target.resource.type === "bucket") objects = await backupBucket(reached.attributes, out);
        else await dumpNative(target.dataDir, reached.attributes.url as string, out);
      } finally {
        await reached.done();
      }
    }
  } catch (error) {
    asUserError(error);
  }
  const bytes = (await stat(out)).size;
  if (options.json) {
    context.stdout.write(`${JSON.stringify({ resource: target.resource.name, type: target.resource.type, engine, file: out, bytes, objects })}\n`);
  } else {
    const what = objects === null ? "" : `${objects} object${objects === 1 ? "" : "s"}, `;
    context.stdout.write(
      `${paint(context).green("✓")} ${target.resource.name} (${target.resource.type}, ${engine}) backed up to ${out} (${what}${size(bytes)})\n`,
    );
  }
  return 0;
}

/** Adds `cairn backup` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("backup")
    .description("back up a local postgres (pg_dump) or bucket (a tar of its objects) to a file")
    .argument("<resource>", "the resource to back up")
    .option("-o, --out <file>", "where to write the backup (default: <resource>-<date>.<ext>)")
    .option("-s, --stack <file>", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the local one)")
    .option("--json", "print the result as JSON")
    .action(async (resource: string, options: ResourceOptions & { out?: string }) => {
      // The SDK's notice about its own future Node support is noise in this command's output.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
      result.code = await backup(resource, options, context);
    });
}
