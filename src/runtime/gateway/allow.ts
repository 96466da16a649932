/**
 * `edge.allow`: only these addresses reach the stack. Production applies it in the firewall and the
 * proxy; the local gateway applies it too, except to this machine itself (loopback), which is how a
 * developer reaches `cairn up`. Built on Node's `net.BlockList`.
 */
import net from "node:net";

/** Decides whether a client address may reach the edge. */
export interface AllowList {
  /** The blocks as written, for messages. */
  readonly blocks: readonly string[];
  allows(address: string): boolean;
}

/** The list for `edge.allow`, or null when everyone is allowed (nothing listed, or anywhere). */
export function allowList(blocks: readonly string[]): AllowList | null {
  if (blocks.length === 0 || blocks.some((b) => b === "0.0.0.0/0" || b === "::/0")) return null;
  const list = new net.BlockList();
  for (const block of ["127.0.0.0/8", "::1/128", ...blocks]) {
    const [address = "", prefix] = block.split("/");
    const family = net.isIPv6(address) ? "ipv6" : "ipv4";
    if (net.isIP(address) === 0) continue; // the schema has refused it already
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return {
    blocks,
    allows(client: string): boolean {
      // An IPv4 client on a dual-stack socket reads ::ffff:a.b.c.d.
      if (client.startsWith("::ffff:") && client.includes(".")) return list.check(client.slice(7), "ipv4");
      return net.isIPv6(client) ? list.check(client, "ipv6") : list.check(client, "ipv4");
    },
  };
}
