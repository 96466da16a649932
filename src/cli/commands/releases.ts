/** `cairn releases [file] [--env NAME] [--host H] [--json]`: the releases kept on each host, the current one marked. */
import type { Command } from "commander";
import { listReleases } from "../../deploy/releases.js";
import { type Context, paint } from "../context.js";
import { hostError } from "../host-errors.js";
import { deployTarget } from "./deploy.js";

function age(at: string | null, now: Date): string {
  if (!at) return "-";
  const s = Math.max(0, Math.round((now.getTime() - new Date(at).getTime()) / 1000));
  if (Number.isNaN(s)) return "-";
  return s < 120 ? `${s}s ago` : s < 7200 ? `${Math.round(s / 60)}m ago` : s < 172_800 ? `${Math.round(s / 3600)}h ago` : `${Math.round(s / 86_400)}d ago`;
}

export async function releases(path: string, options: { env?: string; host?: string; json?: boolean }, context: Context): Promise<number> {
  const stack = await deployTarget(path, options.env, context);
  try {
    const hosts = await listReleases(stack, { host: options.host, env: context.env });
    if (options.json) {
      context.stdout.write(`${JSON.stringify({ environment: stack.environment.name, hosts }, null, 2)}\n`);
      return 0;
    }
    const c = paint(context);
    for (const h of hosts) {
      context.stdout.write(`${c.bold(h.host)}\n`);
      if (h.releases.length === 0) context.stdout.write("  no releases yet: `cairn deploy` makes the first\n");
      for (const r of h.releases)
        context.stdout.write(
          `  ${r.current ? c.green("*") : " "} ${r.id.padEnd(24)} ${(r.sha ?? "-").padEnd(8)} ${age(r.at, context.now()).padEnd(9)} ${r.by ?? "-"}\n`,
        );
    }
    return 0;
  } catch (error) {
    throw hostError(error, true);
  }
}

/** Adds `cairn releases` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("releases")
    .description("list the releases kept on each host of a vm environment (* marks the current one)")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the first with target vm)")
    .option("--host <host>", "only this host")
    .option("--json", "print the releases as JSON")
    .action(async (file: string, options: { env?: string; host?: string; json?: boolean }) => {
      result.code = await releases(file, options, context);
    });
}
