/**
 * The hosts a verify probes: the environment's `hosts:` (`user@host[:port]`) and how to reach them
 * (`ssh:`), read from the model. `cairn deploy` passes its own hosts and runner to `verifyStack`. Pure
 * (node:path only joins the key's path to the stack's folder).
 */
import { isAbsolute, join } from "node:path";
import type { Stack } from "../model/types.js";
import type { SshSettings } from "./ssh.js";
import type { VerifyHost } from "./types.js";

const HOST = /^(?:([A-Za-z_][A-Za-z0-9_.-]{0,31})@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]{0,252})(?::(\d{1,5}))?$/;

/** `user@host[:port]` (user root and port 22 by default), or null when it is not one. */
export function parseHost(text: string): VerifyHost | null {
  const match = HOST.exec(text.trim());
  if (!match) return null;
  const [, user = "root", host = "", port = "22"] = match;
  const number = Number(port);
  if (number < 1 || number > 65535) return null;
  return { user, host: host.replace(/^\[|\]$/g, ""), port: number };
}

/** The environment's `ssh:` as the model holds it, read without depending on its exact shape. */
interface SshFields {
  readonly key?: unknown;
  readonly port?: unknown;
  readonly knownHosts?: unknown;
  readonly jump?: unknown;
}

const sshFields = (stack: Stack): SshFields => ((stack.environment as { readonly ssh?: SshFields }).ssh ?? {}) as SshFields;

/** One entry of `hosts:`: a string, or the model's host (`user`, `host`, a port or null for `ssh.port`). */
function hostEntry(entry: unknown, sshPort: number): VerifyHost | null {
  if (typeof entry === "string") return parseHost(entry);
  if (entry && typeof entry === "object") {
    const fields = entry as { host?: unknown; user?: unknown; port?: unknown };
    if (typeof fields.host === "string") {
      const parsed = parseHost(fields.host.includes(":") && !fields.host.startsWith("[") ? `[${fields.host}]` : fields.host);
      if (!parsed) return null;
      return {
        user: typeof fields.user === "string" ? fields.user : parsed.user,
        host: parsed.host,
        port: typeof fields.port === "number" ? fields.port : sshPort,
      };
    }
  }
  return null;
}

/** The environment's hosts, in file order (none when it names none). */
export function hostsOf(stack: Stack): VerifyHost[] {
  const hosts = (stack.environment as { readonly hosts?: unknown }).hosts;
  if (!Array.isArray(hosts)) return [];
  const port = sshFields(stack).port;
  return hosts.map((h) => hostEntry(h, typeof port === "number" ? port : 22)).filter((h): h is VerifyHost => h !== null);
}

/** The environment's `ssh:` settings for the ssh client: the key (relative to the stack's folder), the known_hosts policy, a jump host. */
export function sshOf(stack: Stack): SshSettings {
  const { key, knownHosts, jump } = sshFields(stack);
  return {
    ...(typeof key === "string" ? { key: isAbsolute(key) ? key : join(stack.root, key) } : {}),
    ...(knownHosts === "accept-new" ? { knownHosts: "accept-new" as const } : {}),
    ...(typeof jump === "string" ? { jump } : {}),
  };
}
