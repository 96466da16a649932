/** `cairn rollback [RELEASE] [-s file] [--env NAME] [--host H] [--json]`: switch each host back, health-gated, to a kept release. */
import type { Command } from "commander";
import { rollbackStack } from "../../deploy/releases.js";
import { type Context, paint, UserError } from "../context.js";
import { hostError } from "../host-errors.js";
import { deployTarget } from "./deploy.js";

export interface RollbackOptions {
  readonly stack?: string;
  readonly env?: string;
  readonly host?: string;
  readonly json?: boolean;
  readonly forceUnlock?: boolean;
}

export async function rollback(release: string | undefined, options: RollbackOptions, context: Context): Promise<number> {
  const stack = await deployTarget(options.stack ?? ".", options.env, context);
  const progress = (line: string) => (options.json ? context.stderr : context.stdout).write(`${line}\n`);
  try {
    const outcomes = await rollbackStack(stack, { release, host: options.host, forceUnlock: options.forceUnlock, env: context.env, progress });
    const c = paint(context);
    if (options.json) context.stdout.write(`${JSON.stringify({ environment: stack.environment.name, hosts: outcomes }, null, 2)}\n`);
    else for (const o of outcomes) context.stdout.write(`${o.ok ? c.green("✓") : c.red("✗")} ${o.host}: ${o.status}\n`);
    const failed = outcomes.find((o) => !o.ok);
    if (failed) throw new UserError(`${failed.host}: ${failed.status}`, "`cairn releases` shows what each host serves.");
    return 0;
  } catch (error) {
    throw hostError(error, true);
  }
}

/** Adds `cairn rollback` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("rollback")
    .description("switch the hosts back to a kept release (default: the one before the current), health-gated")
    .argument("[release]", "release id, as `cairn releases` lists them")
    .option("-s, --stack <file>", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the first with target vm)")
    .option("--host <host>", "only this host")
    .option("--force-unlock", "take the host's lock from a deploy that crashed")
    .option("--json", "print the result as JSON")
    .action(async (release: string | undefined, options: RollbackOptions) => {
      result.code = await rollback(release, options, context);
    });
}
