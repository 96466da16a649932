/**
 * The `cairn` command line: parses arguments and calls one command function. One handler turns a
 * user error into a short message and an exit code, and anything else into an internal error.
 */
import type { Command } from "commander";
import { VERSION } from "../package-info.js";
import { type Context, paint, processContext, UserError } from "./context.js";

export { VERSION };

/** Each verb's file exports `register(cli, context, result)`. */
type Register = (cli: Command, context: Context, result: { code: number }) => void;

/**
 * A verb's file, and what it may start before the command line is parsed (from the raw arguments;
 * the verb's action must not depend on it).
 */
interface Verb {
  readonly register: Register;
  readonly prepare?: (argv: readonly string[], context: Context) => void;
}

/**
 * Verbs in --help order, each loaded on demand: running `cairn check` must not pay for loading the
 * runtime or the CDK. Only --help (or an unknown verb, for suggestions) loads them all.
 */
const commands: Readonly<Record<string, () => Promise<Verb>>> = {
  check: () => import("./commands/check.js"),
  cost: () => import("./commands/cost.js"),
  up: () => import("./commands/up.js"),
  down: () => import("./commands/down.js"),
  ps: () => import("./commands/ps.js"),
  logs: () => import("./commands/logs.js"),
  run: () => import("./commands/run.js"),
  reload: () => import("./commands/reload.js"),
  console: () => import("./commands/console.js"),
  psql: () => import("./commands/psql.js"),
  backup: () => import("./commands/backup.js"),
  restore: () => import("./commands/restore.js"),
  build: () => import("./commands/build.js"),
  deploy: () => import("./commands/deploy.js"),
  rollback: () => import("./commands/rollback.js"),
  releases: () => import("./commands/releases.js"),
  verify: () => import("./commands/verify.js"),
  diagram: () => import("./commands/diagram.js"),
  docs: () => import("./commands/docs.js"),
};

/** The verbs to load for these arguments: the one named, or every one. */
async function verbs(argv: readonly string[]): Promise<Verb[]> {
  const verb = argv.find((arg) => !arg.startsWith("-"));
  const names = verb !== undefined && verb in commands ? [verb] : Object.keys(commands);
  return Promise.all(names.map((name) => (commands[name] as () => Promise<Verb>)()));
}

/** Builds the program; each action stores its exit code in `result`. */
function program(Program: typeof Command, context: Context, result: { code: number }, registers: readonly Register[]): Command {
  const cli = new Program("cairn")
    .description("One stack file to a whole deployment: check it, run it here, price it, and generate every target.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => context.stdout.write(s), writeErr: (s) => context.stderr.write(s) })
    .showSuggestionAfterError(true);

  for (const register of registers) register(cli, context, result);
  return cli;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], context: Context = processContext()): Promise<number> {
  const result = { code: 0 };
  let commander: typeof import("commander") | null = null;
  try {
    // The named verb first: it may start work (diagram's layout engine) while commander loads.
    const loaded = await verbs(argv);
    if (loaded.length === 1) loaded[0]?.prepare?.(argv, context);
    commander = await import("commander");
    const registers = loaded.map((v) => v.register);
    await program(commander.Command, context, result, registers).parseAsync([...argv], { from: "user" });
    return result.code;
  } catch (error) {
    if (commander && error instanceof commander.CommanderError) return error.exitCode === 0 ? 0 : 2;
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
