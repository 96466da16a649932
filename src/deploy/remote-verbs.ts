/**
 * The local verbs on a vm environment's hosts (`--remote`): `ps` from systemd, `logs` from the
 * journal, `run` of a job's unit, waiting for its end.
 */
import type { Stack } from "../model/types.js";
import { planHost } from "../targets/vm/host-stack.js";
import { unitBase } from "../targets/vm/layout.js";
import { connect, DeployError, pickHosts } from "./connect.js";
import { q } from "./remote.js";

export interface RemoteUnit {
  readonly host: string;
  readonly unit: string;
  readonly state: string;
  readonly pid: number | null;
  readonly since: string;
  readonly release: string;
}

export async function remotePs(stack: Stack, env: Readonly<Record<string, string | undefined>>): Promise<RemoteUnit[]> {
  const out: RemoteUnit[] = [];
  for (const host of pickHosts(stack, undefined)) {
    const plan = planHost(stack, host);
    const { link, agent } = await connect(plan.stack, plan.layout, host, env);
    try {
      const r = await agent.must("listing units", ["ps"]);
      for (const line of r.stdout.split("\n").filter(Boolean)) {
        const [unit = "", state = "", pid = "", since = "", release = ""] = line.split("\t");
        out.push({ host: host.source, unit, state, pid: Number(pid) > 0 ? Number(pid) : null, since, release });
      }
    } finally {
      await link.close();
    }
  }
  return out;
}

/** The journal units of a name: a service's replicas or a job's unit; every unit of the stack without one. */
export function journalUnits(stack: Stack, name: string | undefined): string[] {
  if (name === undefined) return [`${stack.name}-*`];
  const base = name.replace(/\.\d+$/, "");
  const known = [...stack.services, ...stack.jobs].find((p) => p.name === base);
  if (!known) {
    const names = [...stack.services, ...stack.jobs].map((p) => p.name);
    throw new DeployError(`${stack.name} has no service or job named "${name}"`, `Names: ${names.join(", ")}.`);
  }
  return known.kind === "service" ? [`${unitBase(stack, base)}@*`] : [`${unitBase(stack, base)}.service`];
}

/** Streams `journalctl` of the hosts; with `follow`, until `signal` aborts. */
export async function remoteLogs(
  stack: Stack,
  options: {
    name?: string;
    follow?: boolean;
    since?: string;
    env: Readonly<Record<string, string | undefined>>;
    write: (text: string) => void;
    signal?: AbortSignal;
  },
): Promise<void> {
  const units = journalUnits(stack, options.name);
  const hosts = pickHosts(stack, undefined);
  await Promise.all(
    hosts.map(async (host) => {
      const plan = planHost(stack, host);
      const { link } = await connect(plan.stack, plan.layout, host, options.env);
      try {
        const args = ["journalctl", "--no-pager", "-o", "short-iso", ...units.flatMap((u) => ["-u", u]), options.since ? `--since=-${options.since}` : "-n200"];
        if (options.follow) args.push("-f");
        const prefix = hosts.length > 1 ? `${host.source} ` : "";
        const sudo = host.user === "root" ? "" : "sudo -n ";
        const child = link.stream(`${sudo}${args.map(q).join(" ")}`);
        options.signal?.addEventListener("abort", () => child.kill("SIGTERM"));
        child.stdout?.setEncoding("utf8");
        let rest = "";
        child.stdout?.on("data", (chunk: string) => {
          const lines = (rest + chunk).split("\n");
          rest = lines.pop() ?? "";
          for (const line of lines) options.write(`${prefix}${line}\n`);
        });
        await new Promise((resolve) => child.once("close", resolve));
      } finally {
        await link.close();
      }
    }),
  );
}

/** Runs a job on the host that runs it; its output, then its exit code. */
export async function remoteRun(
  stack: Stack,
  job: string,
  options: { env: Readonly<Record<string, string | undefined>>; write: (text: string) => void },
): Promise<number> {
  const found = stack.jobs.find((j) => j.name === job);
  if (!found) throw new DeployError(`${stack.name} has no job named "${job}"`, `Jobs: ${stack.jobs.map((j) => j.name).join(", ") || "none"}.`);
  const host = pickHosts(stack, undefined).find((h) => h.jobs.includes(job));
  if (!host) throw new DeployError(`no host of "${stack.environment.name}" runs the job ${job}`, "List it under a host's `jobs:`.");
  const plan = planHost(stack, host);
  const { link, agent } = await connect(plan.stack, plan.layout, host, options.env);
  try {
    const r = await agent.call(["run", `${unitBase(stack, job)}.service`], null, (text) => options.write(text));
    if (r.stderr.trim()) options.write(r.stderr);
    return r.code;
  } finally {
    await link.close();
  }
}
