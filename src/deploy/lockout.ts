/**
 * Would the firewall shut the deploy out of its own host? Before ufw is enabled, the rules for the
 * SSH port must let in the address Cairn connects from, as the host sees it. Pure.
 */
import type { FirewallRule } from "../targets/vm/scripts.js";

function v4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((n, p) => (n << 8n) + BigInt(Number(p)), 0n);
}

function v6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split("::").length > 2) return null;
  const [head = "", tail] = text.split("::");
  const a = head ? head.split(":") : [];
  const b = tail === undefined ? [] : tail ? tail.split(":") : [];
  const groups = tail === undefined ? a : [...a, ...Array(8 - a.length - b.length).fill("0"), ...b];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return groups.reduce((n, g) => (n << 16n) + BigInt(Number.parseInt(g, 16)), 0n);
}

/** True when `address` is inside `cidr` (`any`, an address, or a block; IPv4 or IPv6). */
export function cidrContains(cidr: string, address: string): boolean {
  if (cidr === "any") return true;
  const [base = "", bitsText] = cidr.split("/");
  const family = base.includes(":") ? 6 : 4;
  const parse = family === 4 ? v4 : v6;
  const mapped = family === 4 && address.startsWith("::ffff:") ? address.slice(7) : address;
  const a = parse(base);
  const b = parse(mapped);
  if (a === null || b === null) return false;
  const width = family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  const shift = BigInt(width - bits);
  return a >> shift === b >> shift;
}

/** Null when the deployer stays let in; otherwise the sentence that says why not. */
export function lockout(rules: readonly FirewallRule[], client: string, sshPort: number): string | null {
  const ssh = rules.filter((r) => r.port === sshPort && r.protocol === "tcp");
  if (ssh.some((r) => cidrContains(r.from, client))) return null;
  const shown = ssh.length ? ssh.map((r) => `${r.action} from ${r.from}`).join(", ") : "no rule at all";
  return `the firewall lets SSH (port ${sshPort}) in from ${shown}, and Cairn connects from ${client}: enabling it would lock this deploy out of the host`;
}
