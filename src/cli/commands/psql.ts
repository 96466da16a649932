/** `cairn psql [resource] [-- psql arguments]`: a psql shell on the stack's local Postgres. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { findPostgres } from "../../runtime/resources/postgres/binaries.js";
import { type Context, UserError } from "../context.js";
import { findBackupSubject, type ResourceOptions, reach } from "./backup.js";

/** The psql binary: beside the server binaries, else on PATH. */
function psqlBinary(version: number): string {
  const binaries = findPostgres(version);
  if (binaries && existsSync(join(binaries.bindir, "psql"))) return join(binaries.bindir, "psql");
  return "psql";
}

export async function psql(
  name: string | undefined,
  args: readonly string[],
  options: ResourceOptions & { interactive?: boolean },
  context: Context,
): Promise<number> {
  const target = await findBackupSubject(name, ["postgres"], options, context);
  const reached = await reach(target, context);
  try {
    if (!target.running) context.stderr.write(`${target.resource.name} is not running; started it for this session\n`);
    const version = target.resource.type === "postgres" ? target.resource.version : 16;
    const interactive = options.interactive === true;
    const child = spawn(psqlBinary(version), [reached.attributes.url as string, ...args], {
      stdio: interactive ? "inherit" : ["ignore", "pipe", "pipe"],
      env: { ...process.env, PGAPPNAME: "cairn psql" },
    });
    child.stdout?.on("data", (d: Buffer) => context.stdout.write(d.toString()));
    child.stderr?.on("data", (d: Buffer) => context.stderr.write(d.toString()));
    return await new Promise<number>((resolve, reject) => {
      child.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          error.code === "ENOENT"
            ? new UserError("psql is not installed", "Install the client: `apt-get install postgresql-client` (Debian/Ubuntu) or `brew install libpq` (macOS).")
            : error,
        ),
      );
      child.once("exit", (code) => resolve(code ?? 1));
    });
  } finally {
    await reached.done();
  }
}

/** Adds `cairn psql` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("psql")
    .description("open psql on the stack's local Postgres (arguments after -- go to psql)")
    .argument("[resource]", "the postgres resource (default: the only one)")
    .argument("[args...]", "arguments for psql, after --")
    .option("-s, --stack <file>", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the local one)")
    .action(async (resource: string | undefined, args: string[], options: ResourceOptions) => {
      const interactive = process.stdin.isTTY === true && context.env === process.env;
      // `cairn psql -- -c "..."`: everything after -- is for psql, even in the resource's place.
      const [name, rest] = resource?.startsWith("-") ? [undefined, [resource, ...args]] : [resource, args];
      result.code = await psql(name, rest, { ...options, interactive }, context);
    });
}
