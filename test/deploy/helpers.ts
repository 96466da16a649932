/**
 * What the end-to-end deploy tests share: a copy of a fixture or example stack pointed at a test
 * host, the CLI run in this process with its output captured, and shell checks on the guest.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { captureContext, repoRoot } from "../../src/test-support/index.js";
import type { TestHost } from "../testhost/host.js";

export const FIXTURES = join(repoRoot, "test/deploy/fixtures");

/** A copy of a folder in a new temporary folder; returns the copy's path. */
export function copyStack(from: string, name = "stack"): string {
  const dir = join(mkdtempSync(join(tmpdir(), "cairn-e2e-")), name);
  cpSync(from, dir, { recursive: true, filter: (src) => !src.includes("/.cairn") && !src.includes("/out/") });
  return dir;
}

/** Replaces `__NAME__` markers of a stack file. */
export function fill(dir: string, values: Record<string, string>): void {
  const path = join(dir, "cairn.yaml");
  let text = readFileSync(path, "utf8");
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`__${key}__`, value);
  writeFileSync(path, text);
}

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly ms: number;
}

/** `cairn <args>` in this process; the known_hosts file is the test's own. */
export async function cairn(args: readonly string[], env: Record<string, string> = {}, knownHosts?: string): Promise<CliRun> {
  const context = captureContext(
    repoRoot,
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: "1",
      CAIRN_DEPLOYER: "tester@e2e",
      ...(knownHosts ? { CAIRN_KNOWN_HOSTS: knownHosts } : {}),
      ...env,
    },
    new Date(),
  );
  const started = Date.now();
  const code = await main(args, { ...context, now: () => new Date() });
  return { code, out: context.out(), err: context.err(), ms: Date.now() - started };
}

/** A fresh known_hosts file. */
export function knownHostsFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), "cairn-kh-")), "known_hosts");
  writeFileSync(path, "");
  return path;
}

/** The release each active replica of a stack serves, and `current`, on a guest. */
export function servedReleases(host: TestHost, stack: string): { current: string; replicas: string[] } {
  const current = host.ssh(`basename "$(readlink /opt/${stack}/current)" 2>/dev/null || true`).trim();
  const replicas = host
    .ssh(`for f in /var/lib/cairn/${stack}/active/*; do [ -f "$f" ] || continue; read -r i p < "$f"; basename "$(readlink /opt/${stack}/slots/$p-$i)"; done`)
    .split("\n")
    .filter(Boolean);
  return { current, replicas };
}

/** Waits until `check` is true, polling; throws after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
