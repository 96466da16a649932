/**
 * The hosts a verify probes: the environment's `hosts:` as the model types them (the same
 * `DeployHost`s `cairn deploy` connects to), and how to reach them (`ssh:`). Pure (node:path only
 * joins the key's path to the stack's folder).
 */
import { isAbsolute, join } from "node:path";
import type { DeployHost, Stack } from "../model/types.js";
import type { SshSettings } from "./ssh.js";
import type { VerifyHost } from "./types.js";

/** A host of the environment as verify reaches it: its own SSH port, else the environment's. */
export function verifyHost(stack: Stack, host: DeployHost): VerifyHost {
  return { source: host.source, user: host.user, host: host.host, port: host.port ?? stack.environment.ssh.port };
}

/** The environment's hosts, in file order (none when it names none). */
export function hostsOf(stack: Stack): VerifyHost[] {
  return stack.environment.hosts.map((h) => verifyHost(stack, h));
}

/** The model's host a verify host stands for, when it is one of the environment's. */
export function deployHostOf(stack: Stack, host: VerifyHost): DeployHost | null {
  return stack.environment.hosts.find((h) => h.source === host.source) ?? stack.environment.hosts.find((h) => h.host === host.host) ?? null;
}

/**
 * The environment's `ssh:` settings for the ssh client: the key (relative to the stack's folder),
 * the known_hosts policy, a jump host, and the known_hosts file `cairn deploy` uses instead of ssh's
 * own when `CAIRN_KNOWN_HOSTS` names one.
 */
export function sshOf(stack: Stack, env: Readonly<Record<string, string | undefined>> = {}): SshSettings {
  const { key, knownHosts, jump } = stack.environment.ssh;
  const knownHostsFile = env.CAIRN_KNOWN_HOSTS;
  return {
    ...(key !== null ? { key: isAbsolute(key) ? key : join(stack.root, key) } : {}),
    ...(knownHosts === "accept-new" ? { knownHosts: "accept-new" as const } : {}),
    ...(jump !== null ? { jump } : {}),
    ...(knownHostsFile ? { knownHostsFile } : {}),
  };
}
