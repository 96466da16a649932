/**
 * `cairn deploy [file] [--env NAME] [--host H] [--dry-run] [--json] [--force-unlock] [--run]`: a vm
 * environment put on its hosts over SSH; compose, k8s and aws environments get the exact command to
 * run, run with `--run`.
 */
import type { Command } from "commander";
import { type DeployReport, deployStack, verifyFailure } from "../../deploy/deploy.js";
import { handOff } from "../../deploy/hand-off.js";
import { missingFiles } from "../../deploy/preflight.js";
import { renderDiagnostic } from "../../diagnostics/render.js";
import { hasErrors, loadStack, makeDiagnostic } from "../../load/load.js";
import type { Stack } from "../../model/types.js";
import { renderReport } from "../../verify/render.js";
import { type Context, paint, UserError } from "../context.js";
import { hostError } from "../host-errors.js";
import { readCa } from "./verify.js";

export interface DeployOptions {
  readonly env?: string;
  readonly host?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
  readonly forceUnlock?: boolean;
  readonly run?: boolean;
  readonly ca?: string;
}

/** The stack of the environment to deploy (the first vm one by default), with the deploy's own file checks. */
export async function deployTarget(path: string, env: string | undefined, context: Context): Promise<Stack> {
  const analysis = await loadStack(path, context.cwd, { env, lint: false });
  const c = paint(context);
  const fail = (diagnostics: typeof analysis.diagnostics) => {
    for (const d of diagnostics) context.stderr.write(`${renderDiagnostic(d, analysis.source?.text ?? null, context.cwd, c)}\n\n`);
    throw new UserError(`${path}: the stack file has errors`, "Fix them (`cairn check` lists them all) and run again.");
  };
  if (hasErrors(analysis)) fail(analysis.diagnostics.filter((d) => d.severity === "error"));
  const stacks = [...analysis.stacks.values()];
  const stack = env === undefined ? stacks.find((s) => s.environment.target === "vm") : stacks[0];
  if (!stack)
    throw new UserError(
      "no environment to deploy: none has `target: vm`",
      `Pick one with --env (environments: ${stacks.map((s) => `${s.environment.name} (${s.environment.target})`).join(", ")}).`,
    );
  const missing = missingFiles(stack, analysis.input);
  if (missing.length && analysis.source) fail(missing.map((f) => makeDiagnostic(analysis.source as NonNullable<typeof analysis.source>, f, null)));
  return stack;
}

function ms(n: number | null): string {
  return n === null ? "-" : `${(n / 1000).toFixed(1)} s`;
}

function report(result: DeployReport, context: Context): void {
  const c = paint(context);
  if (result.dryRun) {
    context.stdout.write(`would deploy release ${result.release} (${result.files} files) to ${result.skipped.join(", ")}\n`);
    context.stdout.write(`  packages: ${result.packages.join(" ")}\n`);
    return;
  }
  for (const h of result.hosts) {
    const t = h.timings;
    const mark = h.ok ? c.green("✓") : c.red("✗");
    context.stdout.write(`${mark} ${h.host}: ${h.status}\n`);
    context.stdout.write(
      `  connect ${ms(t.connectMs)}, upload ${ms(t.uploadMs)}, provision ${ms(t.provisionMs)} (apt ${ms(t.aptMs)}), prepare ${ms(t.prepareMs)}, switch ${ms(t.switchMs)}\n`,
    );
  }
  for (const s of result.skipped) context.stdout.write(`${c.yellow("-")} ${s}: not deployed (a host before it failed)\n`);
  if (result.verify) context.stdout.write(renderReport(result.verify, c));
  context.stdout.write(`release ${result.release} in ${ms(result.totalMs)}\n`);
}

export async function deploy(path: string, options: DeployOptions, context: Context): Promise<number> {
  const stack = await deployTarget(path, options.env, context);
  const progress = (line: string) => (options.json ? context.stderr : context.stdout).write(`${line}\n`);
  try {
    if (stack.environment.target !== "vm") return await handOff(stack, options.run ?? false, context);
    const result = await deployStack({
      stack,
      host: options.host,
      forceUnlock: options.forceUnlock,
      dryRun: options.dryRun,
      env: context.env,
      now: context.now,
      progress,
      ca: options.ca ? readCa(options.ca, context) : undefined,
    });
    if (options.json) context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else report(result, context);
    const failed = result.hosts.find((h) => !h.ok);
    if (failed) {
      const tail = failed.log.trimEnd().split("\n").slice(-20).join("\n");
      throw new UserError(
        `${failed.host}: ${failed.status}${options.json ? `\n${tail}` : ""}`,
        "`cairn releases` shows what each host serves; `cairn logs --remote` shows the logs.",
      );
    }
    const unverified = verifyFailure(result);
    if (unverified) throw new UserError(unverified.message, unverified.hint);
    return 0;
  } catch (error) {
    throw hostError(error, true);
  }
}

/** Adds `cairn deploy` to the program. */
export function register(cli: Command, context: Context, result: { code: number }): void {
  cli
    .command("deploy")
    .description("put a vm environment on its hosts over SSH: release, health-gated switch, automatic rollback")
    .argument("[file]", "stack file or folder holding cairn.yaml", ".")
    .option("-e, --env <name>", "environment (default: the first with target vm)")
    .option("--host <host>", "only this host of the environment")
    .option("--dry-run", "say what would be deployed, without connecting")
    .option("--json", "print the result as JSON (progress goes to stderr)")
    .option("--force-unlock", "take the host's lock from a deploy that crashed")
    .option("--run", "compose, k8s and aws environments: run the command instead of printing it")
    .option("--ca <file>", "the final verify trusts this CA (PEM) besides the system's")
    .action(async (file: string, options: DeployOptions) => {
      result.code = await deploy(file, options, context);
    });
}
