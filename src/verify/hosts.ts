/**
 * The hosts a verify probes: the environment's `hosts:` (`user@host[:port]`), read from the model.
 * `cairn deploy` passes its own resolved hosts to `verifyStack` instead. Pure.
 */
import type { Stack } from "../model/types.js";
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

/** One entry of `hosts:`: a string, or a map naming the host (the services and jobs it runs are not needed here). */
function hostEntry(entry: unknown): VerifyHost | null {
  if (typeof entry === "string") return parseHost(entry);
  if (entry && typeof entry === "object") {
    const fields = entry as { address?: unknown; host?: unknown; user?: unknown; port?: unknown };
    if (typeof fields.address === "string") return parseHost(fields.address);
    if (typeof fields.host === "string") {
      const parsed = parseHost(fields.host);
      if (!parsed) return null;
      return {
        user: typeof fields.user === "string" ? fields.user : parsed.user,
        host: parsed.host,
        port: typeof fields.port === "number" ? fields.port : parsed.port,
      };
    }
  }
  return null;
}

/** The environment's hosts, in file order (none when it names none). */
export function hostsOf(stack: Stack): VerifyHost[] {
  const hosts = (stack.environment as { readonly hosts?: unknown }).hosts;
  if (!Array.isArray(hosts)) return [];
  return hosts.map(hostEntry).filter((h): h is VerifyHost => h !== null);
}
