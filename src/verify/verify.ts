/**
 * `verifyStack`: a deployed (or local) stack probed from outside, as data. The checks are planned
 * from the model, then run at once (the rate-limit probe last, so its refusals touch no other
 * check). `cairn verify` prints the report; `cairn deploy` calls this at its end.
 */
import type { Stack } from "../model/types.js";
import type { VmPlan } from "../targets/vm/plan.js";
import { deployHostOf, hostsOf, sshOf } from "./hosts.js";
import { planVerify } from "./plan.js";
import { runCheck } from "./run.js";
import { type RemoteRunner, type SshSettings, sshRunner } from "./ssh.js";
import type { CheckKind, CheckResult, CheckStatus, VerifyHost, VerifyReport } from "./types.js";
import { whereOf } from "./where.js";

export interface VerifyOptions {
  /** Where to send the probes instead of the environment's own address; the file's host names still go in Host and SNI. */
  readonly url?: string;
  /** The hosts to probe and reach over SSH (default: the environment's `hosts:`). */
  readonly hosts?: readonly VerifyHost[];
  /** Probe each host's own address even when the environment has a domain (`cairn deploy` checks the hosts it deployed). */
  readonly viaHosts?: boolean;
  /** Local runs: each service's own address at the gateway, for health paths no route exposes. */
  readonly serviceAddresses?: ReadonlyMap<string, string>;
  /** Probe the rate limit (sends up to the limit plus a few requests). */
  readonly probeLimits?: boolean;
  /** A private CA to trust besides the system's (PEM). */
  readonly ca?: string;
  readonly now?: () => Date;
  /** Per request (default 5 s). */
  readonly timeoutMs?: number;
  /** Per port connect (default 1 s): a dropped packet answers nothing. */
  readonly portTimeoutMs?: number;
  /** How scripts run on a host (default: the `ssh` client, with `ssh`, else the environment's `ssh:`). */
  readonly remote?: RemoteRunner;
  readonly ssh?: SshSettings;
  /** The caller's environment variables: `CAIRN_KNOWN_HOSTS` names the known_hosts file (as for `cairn deploy`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Nothing to probe: the message and how to fix it. */
export class VerifyError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "VerifyError";
  }
}

/** Report order: what a user reaches first, then the machine. */
const ORDER: readonly CheckKind[] = ["route", "health", "websocket", "tls", "redirect", "ports", "ssh", "unit", "timer", "disk", "rate-limit"];

/** Probes the stack and returns every check's result; throws `VerifyError` when there is no address to probe. */
export async function verifyStack(stack: Stack, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const found = whereOf(stack, {
    url: options.url,
    hosts: options.hosts ?? hostsOf(stack),
    viaHosts: options.viaHosts,
    serviceAddresses: options.serviceAddresses,
  });
  if ("error" in found) throw new VerifyError(found.error, found.hint);
  const { where } = found;
  // The vm plan (what `cairn deploy` put on each host) is loaded only when there are hosts to ask.
  let vmPlanOf: ((host: VerifyHost) => VmPlan) | undefined;
  if (where.hosts.length && stack.environment.target === "vm") {
    const { planHost } = await import("../targets/vm/host-stack.js");
    const { planVm } = await import("../targets/vm/plan.js");
    vmPlanOf = (host) => {
      const known = deployHostOf(stack, host);
      return known ? planHost(stack, known) : planVm(stack);
    };
  }
  const plan = planVerify(stack, where, { probeLimits: options.probeLimits ?? false, vmPlanOf });
  const run = {
    timeoutMs: options.timeoutMs ?? 5000,
    portTimeoutMs: options.portTimeoutMs ?? 1000,
    ca: options.ca,
    now: options.now ?? (() => new Date()),
    remote: options.remote ?? sshRunner(options.ssh ?? sshOf(stack, options.env)),
  };
  const first = plan.checks.filter((c) => c.kind !== "rate-limit");
  const results = (await Promise.all(first.map((c) => runCheck(c, run)))).flat();
  for (const check of plan.checks.filter((c) => c.kind === "rate-limit")) results.push(...(await runCheck(check, run)));
  const checks: CheckResult[] = [...results, ...plan.skipped]
    .map((r, i) => ({ r, i }))
    .sort((a, b) => ORDER.indexOf(a.r.kind) - ORDER.indexOf(b.r.kind) || a.i - b.i)
    .map(({ r }) => r);
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  return {
    stack: stack.name,
    environment: stack.environment.name,
    address: where.shown,
    ok: counts.fail === 0,
    checks,
    counts,
    ms: Math.round(performance.now() - started),
  };
}
