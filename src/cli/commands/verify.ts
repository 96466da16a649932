/**
 * `cairn verify [file] [--env NAME | --url URL] [--json] [--probe-limits]`: a deployed or local stack
 * probed from outside against its file. Exit code 1 when a check fails.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { Stack } from "../../model/types.js";
import { sendControl } from "../../runtime/stack-runner/control.js";
import { locate } from "../../runtime/stack-runner/launch.js";
import type { PsReport } from "../../runtime/stack-runner/snapshot.js";
import { readRunner } from "../../runtime/stack-runner/state-dir.js";
import { renderReport, VerifyError, verifyStack } from "../../verify/index.js";
import { type Context, paint, UserError } from "../context.js";
import { loadStackOrFail } from "../load-or-fail.js";

export interface VerifyCliOptions {
  readonly env?: string;
  readonly url?: string;
  readonly json?: boolean;
  readonly probeLimits?: boolean;
  readonly ca?: string;
}

/** Each service's own address at the running local gateway (`127.0.0.1:41234`), or a user error when nothing runs. */
async function localAddresses(path: string, stack: Stack, context: Context): Promise<Map<string, string>> {
  const { paths, file } = locate(path, context.cwd, stack.environment.name);
  const info = readRunner(paths);
  const report = info ? await sendControl<PsReport>(info.socket, { op: "ps" }, 10_000) : null;
  if (!report)
    throw new UserError(
      `nothing is running for ${file} (${stack.environment.name})`,
      "Start it with `cairn up`, or probe a deployed environment with `cairn verify --env NAME`.",
    );
  const addresses = new Map<string, string>();
  for (const s of report.services) if (s.address) addresses.set(s.name, new URL(s.address).host);
  return addresses;
}

/** The PEM file of a CA to trust, or a user error naming it. */
export function readCa(file: string, context: Context): string {
  try {
    return readFileSync(resolve(context.cwd, file), "utf8");
  } catch (error) {
    throw new UserError(
      `--ca ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
      "Give the PEM file of the CA to trust.",
    );
  }
}

export async function verify(path: string, options: VerifyCliOptions, context: Context): Promise<number> {
  const stack = await loadStackOrFail(path, context, options.env);
  const local = stack.environment.target === "local" && options.url === undefined;
  const serviceAddresses = local ? await localAddresses(path, stack, context) : undefined;
  const ca = options.ca ? readCa(options.ca, context) : undefined;
  let report: Awaited<ReturnType<typeof verifyStack>>;
  try {
    report = await verifyStack(stack, { url: options.url, serviceAddresses, probeLimits: options.probeLimits, ca, now: context.now, env: context.env });
  } catch (error) {
    if (error instanceof VerifyError) throw new UserError(error.message, error.hint);
    throw error;
  }
  if (options.json) context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else context.stdout.write(renderReport(report, paint(context)));
  return report.ok ? 0 : 1;
}

/** Adds `cairn verify` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("verify")
    .description("probe a deployed (or local) stack from outside: routes, health, TLS, WebSockets, ports, units, timers")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the local one, which must be running)")
    .option("--url <url>", "send the probes there (the file's host names still go in Host and SNI)")
    .option("--probe-limits", "also check the rate limit answers 429 (sends up to the limit plus 20 requests)")
    .option("--ca <file>", "trust this CA (PEM) besides the system's")
    .option("--json", "print the checks as JSON")
    .action(async (file: string, options: VerifyCliOptions) => {
      result.code = await verify(file, options, context);
    });
}
