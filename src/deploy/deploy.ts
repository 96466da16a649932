/**
 * `cairn deploy` as a function: the vm plan of each host, the release packed once, then host by
 * host (each healthy before the next): upload, provision, prepare, switch with automatic rollback;
 * then the live result checked from outside.
 */
import { hostname, userInfo } from "node:os";
import type { DeployHost, Stack } from "../model/types.js";
import { planHost } from "../targets/vm/host-stack.js";
import type { VmPlan } from "../targets/vm/plan.js";
import { verifyHost } from "../verify/hosts.js";
import type { VerifyReport } from "../verify/types.js";
import { verifyStack } from "../verify/verify.js";
import { DeployError, pickHosts } from "./connect.js";
import { deployHost, type HostOutcome } from "./host-deploy.js";
import { gitSha, releaseFileList } from "./pack.js";
import { metaValue, releaseFiles } from "./release-files.js";
import { collectSecrets } from "./secrets.js";

export interface DeployRequest {
  readonly stack: Stack;
  /** Only this host (as written, or its address). */
  readonly host?: string;
  readonly forceUnlock?: boolean;
  readonly dryRun?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  readonly progress: (line: string) => void;
  /** A private CA the final verify trusts besides the system's (PEM), for an edge certificate of one's own. */
  readonly ca?: string;
}

export interface DeployReport {
  readonly release: string;
  readonly environment: string;
  readonly hosts: readonly HostOutcome[];
  /** Hosts not deployed because one before them failed. */
  readonly skipped: readonly string[];
  /** `cairn verify` of the hosts just deployed (null on a dry run or when a host failed). */
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

/**
 * The check that ends a deploy: `cairn verify` itself, on the hosts just deployed (probed at their
 * own addresses, the file's host names in Host and SNI), with the deploy's known_hosts file.
 */
export function verifyDeployed(stack: Stack, hosts: readonly DeployHost[], request: Pick<DeployRequest, "env" | "now" | "ca">): Promise<VerifyReport> {
  return verifyStack(stack, { hosts: hosts.map((h) => verifyHost(stack, h)), viaHosts: true, env: request.env, now: request.now, ca: request.ca });
}

/**
 * What a failing verify means for a deploy: exit non-zero and say so, but leave the new release in
 * place. Each replica already passed its health check before it took traffic (a failure there rolls
 * back by itself); what verify finds after the switch (a certificate, DNS, a firewall, a timer, a
 * route another service answers) is rarely fixed by the previous code, so the choice to roll back
 * is the user's, as with Kamal, whose deploy also stops at the health-gated switch.
 */
export function verifyFailure(report: DeployReport): { message: string; hint: string } | null {
  const verify = report.verify;
  if (!verify || verify.ok) return null;
  const failed = verify.checks.filter((c) => c.status === "fail");
  const names = failed.slice(0, 3).map((c) => `${c.kind} ${c.target}${c.service ? ` (${c.service})` : ""}: ${c.detail}`);
  return {
    message: `release ${report.release} is live, and cairn verify failed ${failed.length} check${failed.length === 1 ? "" : "s"}:\n  ${names.join("\n  ")}${failed.length > 3 ? `\n  and ${failed.length - 3} more` : ""}`,
    hint: "The release stays in place (each replica passed its health check). Fix what failed and run `cairn verify`, or go back with `cairn rollback`.",
  };
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
  request.progress("verifying the hosts from outside (cairn verify)");
  const verify = await verifyDeployed(stack, hosts, request);
  return { ...base, hosts: outcomes, skipped: [], verify, totalMs: Date.now() - started, dryRun: false };
}
