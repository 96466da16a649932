/**
 * Reaching a host for any deploy verb: the SSH link, the facts that decide whether Cairn may act
 * there (root or sudo, Debian or Ubuntu, free disk), and its agent installed.
 */
import type { DeployHost, Stack } from "../model/types.js";
import type { VmLayout } from "../targets/vm/layout.js";
import { sshOf } from "../verify/hosts.js";
import { agentScript } from "./agent.js";
import { Agent, FACTS_COMMAND, type HostFacts, parseFacts } from "./remote.js";
import { SshError, SshLink } from "./ssh.js";

/** A deploy that cannot go on, with what to do; the CLI shows it as a user error. */
export class DeployError extends Error {
  constructor(
    message: string,
    readonly hint: string | null = null,
  ) {
    super(message);
    this.name = "DeployError";
  }
}

/** Space a release needs at least on the host's disk. */
export const MIN_FREE_KB = 300 * 1024;

export interface Connected {
  readonly link: SshLink;
  readonly agent: Agent;
  readonly facts: HostFacts;
}

/** The environment's hosts, or the one `--host` names. */
export function pickHosts(stack: Stack, only: string | undefined): DeployHost[] {
  const { hosts, name } = stack.environment;
  if (hosts.length === 0)
    throw new DeployError(
      `environment "${name}" names no hosts`,
      `Add \`hosts: [root@<address>]\` under environments.${name} (one or more \`user@host[:port]\`).`,
    );
  if (only === undefined) return [...hosts];
  const picked = hosts.filter((h) => h.source === only || h.host === only);
  if (picked.length === 0) throw new DeployError(`--host ${only} is not one of the hosts of "${name}"`, `Hosts: ${hosts.map((h) => h.source).join(", ")}.`);
  return picked;
}

export async function connect(stack: Stack, layout: VmLayout, host: DeployHost, env: Readonly<Record<string, string | undefined>>): Promise<Connected> {
  // The key and known_hosts file as verify reads them: one reading of `ssh:` and CAIRN_KNOWN_HOSTS.
  const reach = sshOf(stack, env);
  const link = new SshLink({ host, ssh: stack.environment.ssh, keyFile: reach.key ?? null, knownHostsFile: reach.knownHostsFile ?? null });
  try {
    await link.open();
  } catch (error) {
    await link.close();
    if (error instanceof SshError) throw new DeployError(error.message, error.hint);
    throw error;
  }
  try {
    const r = await link.run(FACTS_COMMAND);
    const facts = parseFacts(r.stdout);
    if (facts.uid !== 0 && !facts.sudo)
      throw new DeployError(
        `${host.source}: ${host.user} is not root and cannot use sudo without a password`,
        `Deploy as root, or let ${host.user} run sudo without a password (a line \`${host.user} ALL=(ALL) NOPASSWD:ALL\` in /etc/sudoers.d/).`,
      );
    if (facts.os !== "debian" && facts.os !== "ubuntu")
      throw new DeployError(`${host.source} runs ${facts.osName}; cairn deploy supports Debian (12 or later) and Ubuntu (22.04 or later)`, null);
    if (facts.freeKb < MIN_FREE_KB)
      throw new DeployError(
        `${host.source}: the disk is full (${Math.round(facts.freeKb / 1024)} MB free; a release needs at least ${MIN_FREE_KB / 1024} MB)`,
        "Free space on the host (old logs, `apt-get clean`, `journalctl --vacuum-size=200M`), or keep fewer releases (`deploy: { keep: 2 }`).",
      );
    const agent = new Agent(link, stack.name, facts.uid === 0 ? "" : "sudo -n ");
    await agent.install(agentScript(layout));
    return { link, agent, facts };
  } catch (error) {
    await link.close();
    throw error;
  }
}
