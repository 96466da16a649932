/**
 * Every server in the runtime runs under the one guard: a file that creates a server (node:http or
 * node:net) imports guard.ts. A server added later without it fails here, before a client finds out.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const runtime = join(import.meta.dirname, "..");
/** Files that create a server with no handler: they only probe whether a port is free. */
const PROBES_ONLY = new Set(["ports.ts"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "testing" || entry.name === "fixtures" ? [] : sources(path);
    // Test support (upstreams a test starts) is not part of what `cairn up` runs.
    const support = entry.name.endsWith(".test.ts") || entry.name === "testing.ts" || entry.name === "test-helpers.ts";
    return entry.name.endsWith(".ts") && !support ? [path] : [];
  });
}

describe("the one guard", () => {
  it("covers every file of the runtime that creates a server", () => {
    const servers = sources(runtime).filter((file) => /\bcreateServer\(/.test(readFileSync(file, "utf8")));
    const names = servers.map((file) => relative(runtime, file)).sort();
    expect(names).toEqual(expect.arrayContaining(["gateway/gateway.ts", "gateway/fast-lane.ts", "resources/postgres/wire.ts", "resources/s3/server.ts"]));
    const unguarded = servers
      .filter((file) => !PROBES_ONLY.has(relative(runtime, file)))
      .filter((file) => !/import \{[^}]*\bguard(Connection)?\b[^}]*\} from "(\.\.\/)+http\/guard\.js"/.test(readFileSync(file, "utf8")))
      .map((file) => relative(runtime, file));
    expect(unguarded).toEqual([]);
  });
});
