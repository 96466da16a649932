/**
 * `cairn deploy` of an environment that is not a vm: Cairn hands over to the engine that exists.
 * It builds the files, says the exact commands, and with `--run` runs them where that tool and its
 * engine or cluster answer here. No pretend success: without them it says what is missing.
 */
import { spawnSync } from "node:child_process";
import { relative, resolve } from "node:path";
import { build } from "../build/build.js";
import type { Stack } from "../model/types.js";
import { DeployError } from "./connect.js";

export interface HandOffStep {
  /** What is run, as the user would type it. */
  readonly shown: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

/** The commands that deploy an environment of this target, and the probe that says whether its engine answers. */
export function handOffPlan(stack: Stack, outDir: string): { steps: HandOffStep[]; probe: HandOffStep; needs: string } {
  const env = stack.environment.name;
  const step = (shown: string, command: string, args: string[], cwd = outDir): HandOffStep => ({ shown, command, args, cwd });
  switch (stack.environment.target) {
    case "compose":
      return {
        steps: [step("docker compose up -d --build", "docker", ["compose", "up", "-d", "--build"])],
        probe: step("docker info", "docker", ["info"]),
        needs: "a Docker engine (on the host: copy the folder there and run the command)",
      };
    case "k8s":
      return {
        steps: [step(`kubectl apply -k overlays/${env}`, "kubectl", ["apply", "-k", `overlays/${env}`])],
        probe: step("kubectl cluster-info", "kubectl", ["cluster-info"]),
        needs: "kubectl and a cluster its context reaches",
      };
    case "aws":
      return {
        steps: [
          step("npm install", "npm", ["install", "--no-audit", "--no-fund"]),
          step("npx cdk deploy --require-approval never", "npx", ["cdk", "deploy", "--require-approval", "never"]),
        ],
        probe: step("npx cdk --version && AWS credentials", "npx", ["cdk", "--version"]),
        needs: "the AWS CDK and AWS credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID)",
      };
    default:
      throw new DeployError(`environment "${env}" runs here: \`cairn up --env ${env}\` starts it`);
  }
}

function ok(step: HandOffStep, env: Readonly<Record<string, string | undefined>>): boolean {
  return spawnSync(step.command, [...step.args], { cwd: step.cwd, env, stdio: "ignore", timeout: 60_000 }).status === 0;
}

/** What a hand-off needs from the caller. */
export interface HandOffContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): void };
}

export async function handOff(stack: Stack, run: boolean, context: HandOffContext): Promise<number> {
  const target = stack.environment.target;
  const built = await build([stack], { target, env: stack.environment.name }, context.cwd);
  if (built.errors.length) throw new DeployError(`the ${target} build has errors: ${built.errors.map((e) => `${e.part}: ${e.message}`).join("; ")}`);
  const shown = relative(context.cwd, built.outDir) || ".";
  const plan = handOffPlan(stack, resolve(built.outDir));
  const lines = [`${target} environments are deployed by their own engine. Built ${shown}; then:`, `  cd ${shown}`, ...plan.steps.map((s) => `  ${s.shown}`)];
  context.stdout.write(`${lines.join("\n")}\n`);
  if (!run) {
    context.stdout.write(`(\`cairn deploy --env ${stack.environment.name} --run\` runs it here, given ${plan.needs})\n`);
    return 0;
  }
  const credentials = target !== "aws" || context.env.AWS_PROFILE !== undefined || context.env.AWS_ACCESS_KEY_ID !== undefined;
  if (!credentials || !ok(plan.probe, context.env))
    throw new DeployError(`cannot run it here: ${plan.needs} is not reachable (\`${plan.probe.shown}\` failed)`, "Run the commands above where it is.");
  for (const step of plan.steps) {
    context.stdout.write(`$ ${step.shown}\n`);
    const r = spawnSync(step.command, [...step.args], { cwd: step.cwd, env: context.env, stdio: "inherit" });
    if (r.status !== 0) throw new DeployError(`\`${step.shown}\` failed (exit ${r.status ?? r.signal})`);
  }
  return 0;
}
