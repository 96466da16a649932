/** `cairn restore RESOURCE FILE`: puts a local postgres or bucket back to a backup from `cairn backup`. */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { restoreBucket } from "../../runtime/resources/backup/bucket.js";
import { restoreEmbedded, restoreNative } from "../../runtime/resources/backup/postgres.js";
import { type Context, paint, UserError } from "../context.js";
import { asUserError, findTarget, postgresEngine, type ResourceOptions, reach, requireStopped } from "./backup.js";

export async function restore(name: string, file: string, options: ResourceOptions, context: Context): Promise<number> {
  const target = await findTarget(name, ["postgres", "bucket"], options, context);
  const path = resolve(context.cwd, file);
  if (!(await stat(path).catch(() => null))?.isFile()) throw new UserError(`${file}: no such backup file`);
  const engine = target.resource.type === "postgres" ? postgresEngine(target) : "s3";
  let note = "";
  try {
    if (target.resource.type === "postgres" && engine === "embedded") {
      requireStopped(target);
      const aside = await restoreEmbedded(target.dataDir, path, context.now());
      note = `; the previous data is kept in ${aside}`;
    } else {
      const reached = await reach(target, context);
      try {
        if (target.resource.type === "bucket") note = `; ${await restoreBucket(reached.attributes, path)} objects`;
        else await restoreNative(target.dataDir, reached.attributes.url as string, path);
      } finally {
        await reached.done();
      }
    }
  } catch (error) {
    asUserError(error);
  }
  if (options.json) context.stdout.write(`${JSON.stringify({ resource: target.resource.name, type: target.resource.type, engine, file: path })}\n`);
  else context.stdout.write(`${paint(context).green("✓")} ${target.resource.name} (${target.resource.type}, ${engine}) restored from ${path}${note}\n`);
  return 0;
}

/** Adds `cairn restore` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("restore")
    .description("put a local postgres or bucket back to a backup taken by `cairn backup`")
    .argument("<resource>", "the resource to restore")
    .argument("<backup>", "the backup file")
    .option("-s, --stack <file>", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the local one)")
    .option("--json", "print the result as JSON")
    .action(async (resource: string, backupFile: string, options: ResourceOptions) => {
      // The SDK's notice about its own future Node support is noise in this command's output.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
      result.code = await restore(resource, backupFile, options, context);
    });
}
