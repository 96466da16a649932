/**
 * The `cairn` command line: parses arguments and calls one command function. One handler turns a
 * user error into a short message and an exit code, and anything else into an internal error.
 */
import { Command, CommanderError } from "commander";
import { register as backupCommand } from "./commands/backup.js";
import { register as buildCommand } from "./commands/build.js";
import { register as checkCommand } from "./commands/check.js";
import { register as costCommand } from "./commands/cost.js";
import { register as downCommand } from "./commands/down.js";
import { register as logsCommand } from "./commands/logs.js";
import { register as psCommand } from "./commands/ps.js";
import { register as psqlCommand } from "./commands/psql.js";
import { register as reloadCommand } from "./commands/reload.js";
import { register as restoreCommand } from "./commands/restore.js";
import { register as runCommand } from "./commands/run.js";
import { register as upCommand } from "./commands/up.js";
import { type Context, paint, processContext, UserError } from "./context.js";

export const VERSION = "0.1.0";

/** Each verb's file exports `register(cli, context, result)`; the order here is the order in --help. */
type Register = (cli: Command, context: Context, result: { code: number }) => void;
const commands: readonly Register[] = [
  checkCommand,
  costCommand,
  upCommand,
  downCommand,
  psCommand,
  logsCommand,
  runCommand,
  reloadCommand,
  psqlCommand,
  backupCommand,
  restoreCommand,
  buildCommand,
];

/** Builds the program; each action stores its exit code in `result`. */
function program(context: Context, result: { code: number }): Command {
  const cli = new Command("cairn")
    .description("One stack file to a whole deployment: check it, run it here, price it, and generate every target.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => context.stdout.write(s), writeErr: (s) => context.stderr.write(s) })
    .showSuggestionAfterError(true);

  for (const register of commands) register(cli, context, result);
  return cli;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], context: Context = processContext()): Promise<number> {
  const result = { code: 0 };
  try {
    await program(context, result).parseAsync([...argv], { from: "user" });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const c = paint(context);
    if (error instanceof UserError) {
      context.stderr.write(`${c.red("error:")} ${error.message}\n${error.hint ? `${c.cyan("hint:")} ${error.hint}\n` : ""}`);
      return error.exitCode;
    }
    context.stderr.write(
      `${c.red("internal error:")} ${(error as Error)?.stack ?? String(error)}\nThis is a bug in Cairn; please report it with the command you ran.\n`,
    );
    return 70;
  }
}
