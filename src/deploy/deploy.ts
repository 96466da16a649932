/**
 * `cairn deploy` as a function: the vm plan of each host, the release packed once, then host by
 * host (each healthy before the next): upload, provision, prepare, switch with automatic rollback;
 * then the live result checked from outside.
 */
import { hostname, userInfo } from "node:os";
import type { Stack } from "../model/types.js";
import { planHost } from "../targets/vm/host-stack.js";
import type { VmPlan } from "../targets/vm/plan.js";
import { DeployError, pickHosts } from "./connect.js";
import { deployHost, type HostOutcome } from "./host-deploy.js";
import { gitSha, releaseFileList } from "./pack.js";
import { metaValue, releaseFiles } from "./release-files.js";
import { collectSecrets } from "./secrets.js";
import { type VerifyReport, verifyDeployment } from "./verify.js";

export interface DeployRequest {
  readonly stack: Stack;
  /** Only this host (as written, or its address). */
  readonly host?: string;
  readonly forceUnlock?: boolean;
  readonly dryRun?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  readonly progress: (line: string) => void;
}

export interface DeployReport {
  readonly release: string;
  readonly environment: string;
  readonly hosts: readonly HostOutcome[];
  /** Hosts not deployed because one before them failed. */
  readonly skipped: readonly string[];
  readonly verify: VerifyReport | null;
  readonly notes: readonly string[];
  readonly files: number;
  readonly packages: readonly string[];
  readonly totalMs: number;
  readonly dryRun: boolean;
}

/** `20261206-181500` and the git short sha when there is one. */
export function releaseId(now: Date, sha: string | null): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return sha && /^[0-9a-f]{4,12}$/.test(sha) ? `${stamp}-${sha}` : stamp;
}

/** Who deploys, as recorded in the lock and the release: `user@machine`. */
export function deployer(env: Readonly<Record<string, string | undefined>>): string {
  const user = env.CAIRN_DEPLOYER ?? `${userInfo().username}@${hostname()}`;
  return metaValue(user);
}

/** Debian packages the release's own files ask for. */
export function releasePackages(files: readonly string[]): string[] {
  const top = new Set(files);
  const out: string[] = [];
  if (top.has("package-lock.json")) out.push("nodejs", "npm");
  if (top.has("requirements.txt") || top.has("uv.lock")) out.push("python3", "python3-venv");
  return out;
}

/** Services that switch with a gap: their own port is public and no proxy stands in front. */
export function gapNotes(plan: VmPlan): string[] {
  return plan.stack.services
    .filter((s) => s.port !== null && plan.replicas.some((r) => r.service === s.name && r.sparePort === null))
    .map(
      (s) =>
        `services.${s.name} is reached on its own port ${s.port} with no proxy in front, so its replicas restart in place and the switch has a gap of a few seconds. ` +
        `To switch without one, put nginx in front: route to it (\`routes: [{ path: /, to: ${s.name} }]\`), give the edge that port (\`edge: { port: ${s.port} }\`) and the service another one.`,
    );
}

export async function deployStack(request: DeployRequest): Promise<DeployReport> {
  const started = Date.now();
  const { stack } = request;
  if (stack.environment.target !== "vm") throw new DeployError(`environment "${stack.environment.name}" targets ${stack.environment.target}, not vm`);
  const hosts = pickHosts(stack, request.host);
  const plans = hosts.map((h) => planHost(stack, h));
  const errors = plans.flatMap((p) => p.errors);
  if (errors.length)
    throw new DeployError(
      `the vm target cannot build this stack:\n${[...new Set(errors.map((e) => `  ${e.part}: ${e.message}; ${e.instead}`))].join("\n")}`,
      "Fix the stack file; `cairn build --target vm` shows the same errors.",
    );
  const first = plans[0] as VmPlan;
  const notes = [...new Set(plans.flatMap(gapNotes))];
  for (const note of notes) request.progress(`note: ${note}`);
  const secrets = collectSecrets(
    plans.flatMap((p) => p.keys),
    stack.root,
    request.env,
  );
  if (secrets.missing.length)
    throw new DeployError(
      `secrets not set: ${[...new Set(secrets.missing.map((k) => k.name))].join(", ")}`,
      "Set them in the environment of `cairn deploy`, or in the .env file beside the stack file (never in the stack file).",
    );
  if (secrets.multiline.length)
    throw new DeployError(`secrets with a line break: ${secrets.multiline.join(", ")}`, "Keep them on one line (base64 for a PEM key, for example).");
  const appFiles = releaseFileList(stack.root);
  const sha = gitSha(stack.root);
  const release = releaseId(request.now(), sha);
  const who = deployer(request.env);
  const packages = [...new Set([...first.packages.map((p) => p.name), ...releasePackages(appFiles)])];
  const meta = { id: release, sha, by: who, at: request.now().toISOString() };
  const base = { release, environment: stack.environment.name, notes, files: appFiles.length, packages };
  if (request.dryRun) return { ...base, hosts: [], skipped: hosts.map((h) => h.source), verify: null, totalMs: Date.now() - started, dryRun: true };
  const outcomes: HostOutcome[] = [];
  for (const [i, host] of hosts.entries()) {
    const plan = plans[i] as VmPlan;
    const hostPackages = [...new Set([...plan.packages.map((p) => p.name), ...releasePackages(appFiles)])];
    const outcome = await deployHost({
      stack: plan.stack,
      plan,
      host,
      release,
      who,
      appFiles,
      buildFiles: releaseFiles(plan, meta, hostPackages),
      secretsFile: secrets.file,
      runBefore: i === 0,
      forceUnlock: request.forceUnlock ?? false,
      env: request.env,
      progress: request.progress,
    });
    outcomes.push(outcome);
    if (!outcome.ok)
      return { ...base, hosts: outcomes, skipped: hosts.slice(i + 1).map((h) => h.source), verify: null, totalMs: Date.now() - started, dryRun: false };
  }
  const verify = await verifyDeployment(first, hosts, { progress: request.progress });
  return { ...base, hosts: outcomes, skipped: [], verify, totalMs: Date.now() - started, dryRun: false };
}
