/** What a command needs from the world, passed in so tests can supply their own. */
import pc from "picocolors";

export interface Output {
  write(text: string): void;
}

export interface Context {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Output;
  readonly stderr: Output;
  readonly color: boolean;
  readonly now: () => Date;
}

/** The real process's context. */
export function processContext(): Context {
  const color = !process.env.NO_COLOR && (process.env.FORCE_COLOR !== undefined || process.stdout.isTTY === true);
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: { write: (t) => void process.stdout.write(t) },
    stderr: { write: (t) => void process.stderr.write(t) },
    color,
    now: () => new Date(),
  };
}

/** Colours that vanish when the context has none. */
export function paint(context: Pick<Context, "color">) {
  return pc.createColors(context.color);
}

export { UserError } from "../diagnostics/user-error.js";
