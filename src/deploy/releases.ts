/**
 * The releases on each host (`cairn releases`) and a switch back to one of them (`cairn rollback`),
 * with the same lock and health-gated switch as a deploy.
 */
import type { Stack } from "../model/types.js";
import { planHost } from "../targets/vm/host-stack.js";
import { connect, DeployError, pickHosts } from "./connect.js";
import { deployer } from "./deploy.js";
import { followSwitch, type HostOutcome, takeLock } from "./host-deploy.js";

export interface ReleaseLine {
  readonly id: string;
  readonly current: boolean;
  readonly sha: string | null;
  readonly by: string | null;
  /** When it was made, ISO 8601. */
  readonly at: string | null;
}

export interface HostReleases {
  readonly host: string;
  readonly releases: readonly ReleaseLine[];
}

export function parseReleases(text: string): ReleaseLine[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const [id = "", current = "-", sha = "-", by = "-", at = "-"] = l.split("\t");
      const value = (v: string) => (v === "-" || v === "" ? null : v);
      return { id, current: current === "current", sha: value(sha), by: value(by), at: value(at) };
    });
}

export async function listReleases(stack: Stack, options: { host?: string; env: Readonly<Record<string, string | undefined>> }): Promise<HostReleases[]> {
  const out: HostReleases[] = [];
  for (const host of pickHosts(stack, options.host)) {
    const plan = planHost(stack, host);
    const { link, agent } = await connect(plan.stack, plan.layout, host, options.env);
    try {
      const r = await agent.must("listing releases", ["releases"]);
      out.push({ host: host.source, releases: parseReleases(r.stdout) });
    } finally {
      await link.close();
    }
  }
  return out;
}

/** The release before the current one on a host, or null. */
export function previousRelease(releases: readonly ReleaseLine[]): string | null {
  const index = releases.findIndex((r) => r.current);
  return index >= 0 ? (releases[index + 1]?.id ?? null) : null;
}

export async function rollbackStack(
  stack: Stack,
  options: { release?: string; host?: string; forceUnlock?: boolean; env: Readonly<Record<string, string | undefined>>; progress: (line: string) => void },
): Promise<HostOutcome[]> {
  const outcomes: HostOutcome[] = [];
  for (const host of pickHosts(stack, options.host)) {
    const plan = planHost(stack, host);
    const started = Date.now();
    let connected = await connect(plan.stack, plan.layout, host, options.env);
    try {
      const releases = parseReleases((await connected.agent.must("listing releases", ["releases"])).stdout);
      const target = options.release ?? previousRelease(releases);
      if (!target) throw new DeployError(`${host.source} has no release before the current one`, "`cairn releases` lists what is there.");
      if (!releases.some((r) => r.id === target))
        throw new DeployError(`${host.source} has no release ${target}`, `Releases there: ${releases.map((r) => r.id).join(", ") || "none"}.`);
      if (releases.find((r) => r.current)?.id === target) {
        outcomes.push({ host: host.source, ok: true, status: `done: ${target} serves already`, timings: emptyTimings(), log: "" });
        continue;
      }
      await takeLock(connected.agent, deployer(options.env), target, options.forceUnlock ?? false);
      options.progress(`${host.source}: switching back to ${target}`);
      await connected.agent.must("starting the switch", ["start-switch", target, "rollback"]);
      const result = await followSwitch(
        connected,
        async () => {
          await connected.link.close();
          connected = await connect(plan.stack, plan.layout, host, options.env);
          return connected.agent;
        },
        options.progress,
      );
      outcomes.push({
        host: host.source,
        ok: result.status.startsWith("done"),
        status: result.status,
        timings: { ...emptyTimings(), switchMs: Date.now() - started },
        log: result.log,
      });
      if (!result.status.startsWith("done")) break;
    } finally {
      await connected.link.close();
    }
  }
  return outcomes;
}

function emptyTimings() {
  return { connectMs: 0, uploadMs: 0, provisionMs: 0, aptMs: null, prepareMs: 0, beforeMs: 0, switchMs: 0 };
}
