import { remoteLogs, remotePs, remoteRun } from "../../deploy/remote-verbs.js";
import { type Context, paint, UserError } from "../context.js";
import { hostError } from "../host-errors.js";
import { deployTarget } from "./deploy.js";

async function userErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw hostError(error, false);
  }
}

export async function remotePsCommand(path: string, options: { env?: string; json?: boolean }, context: Context): Promise<number> {
  const stack = await deployTarget(path, options.env, context);
  const units = await userErrors(() => remotePs(stack, context.env));
  if (options.json) {
    context.stdout.write(`${JSON.stringify({ environment: stack.environment.name, units }, null, 2)}\n`);
    return 0;
  }
  const c = paint(context);
  const width = Math.max(8, ...units.map((u) => u.unit.length));
  for (const u of units)
    context.stdout.write(
      `${u.host}  ${u.unit.padEnd(width)}  ${(u.state === "active" ? c.green(u.state) : c.red(u.state)).padEnd(8)}  ${String(u.pid ?? "-").padStart(7)}  ${u.release}  ${u.since}\n`,
    );
  if (units.length === 0) context.stdout.write(`nothing deployed on the hosts of ${stack.environment.name}: \`cairn deploy\` puts it there\n`);
  return 0;
}

export async function remoteLogsCommand(
  name: string | undefined,
  options: { stack?: string; env?: string; follow?: boolean; since?: string },
  context: Context,
  signal?: AbortSignal,
): Promise<number> {
  const stack = await deployTarget(options.stack ?? ".", options.env, context);
  if (options.since !== undefined && !/^\d+\s*[smhd]$/.test(options.since))
    throw new UserError(`--since ${options.since} is not a duration for the journal`, "Use --since 15m, 2h or 1d with --remote.");
  const since = options.since?.replace(/\s/g, "").replace(/s$/, "sec").replace(/m$/, "min").replace(/h$/, "h").replace(/d$/, "d");
  await userErrors(() =>
    remoteLogs(stack, { name, follow: options.follow, since, env: context.env, write: (t) => context.stdout.write(t), ...(signal ? { signal } : {}) }),
  );
  return 0;
}

export async function remoteRunCommand(name: string, args: readonly string[], options: { stack?: string; env?: string }, context: Context): Promise<number> {
  if (args.length) throw new UserError("arguments after -- are not passed to a job on a host", "Run it without them; its args come from the stack file.");
  const stack = await deployTarget(options.stack ?? ".", options.env, context);
  const c = paint(context);
  const code = await userErrors(() => remoteRun(stack, name, { env: context.env, write: (t) => context.stdout.write(t) }));
  context.stdout.write(`${code === 0 ? c.green("✓") : c.red("✗")} ${name} on its host: ${code === 0 ? "succeeded" : `failed (exit ${code})`}\n`);
  return code;
}
