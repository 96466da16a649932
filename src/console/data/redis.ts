/** Redis keys by pattern for the data page: SCAN (never KEYS), bounded in keys and rounds. */
import { type Reply, RespClient } from "./resp.js";

export const MAX_KEYS = 500;
const MAX_ROUNDS = 200;

export interface RedisKey {
  readonly key: string;
  readonly type: string;
}

function check(reply: Reply): Reply {
  if (reply instanceof Error) throw reply;
  return reply;
}

/** Keys matching `pattern` (glob, as SCAN MATCH), at most MAX_KEYS, with their types. */
export async function scanKeys(url: string, pattern: string): Promise<{ keys: RedisKey[]; complete: boolean }> {
  const parsed = new URL(url);
  const client = await RespClient.open(parsed.hostname, Number(parsed.port || 6379));
  try {
    const password = decodeURIComponent(parsed.password);
    if (password) check(await client.command(parsed.username ? ["AUTH", decodeURIComponent(parsed.username), password] : ["AUTH", password]));
    const keys: string[] = [];
    let cursor = "0";
    let rounds = 0;
    do {
      const reply = check(await client.command(["SCAN", cursor, "MATCH", pattern || "*", "COUNT", "100"]));
      if (!Array.isArray(reply)) throw new Error("unexpected SCAN reply");
      cursor = String(reply[0]);
      for (const key of (reply[1] as Reply[]) ?? []) if (typeof key === "string" && keys.length < MAX_KEYS) keys.push(key);
      rounds++;
    } while (cursor !== "0" && keys.length < MAX_KEYS && rounds < MAX_ROUNDS);
    const types = await Promise.all(keys.map((k) => client.command(["TYPE", k])));
    return {
      keys: keys.map((key, i) => ({ key, type: typeof types[i] === "string" ? (types[i] as string) : "?" })).sort((a, b) => (a.key < b.key ? -1 : 1)),
      complete: cursor === "0",
    };
  } finally {
    client.close();
  }
}
