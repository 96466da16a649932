/** Helpers for resource tests: state folders, contexts, and a holder process that can be SIGKILLed. */
import { type ChildProcess, spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Resource } from "../../../model/types.js";
import { stackFrom } from "../../../test-support/index.js";
import type { ResourceContext } from "../types.js";

/** A fresh folder others may traverse (the postgres user must reach a cluster when tests run as root). */
export async function stateDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `cairn-${prefix}-`));
  await chmod(dir, 0o755);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function contextFor(dataDir: string, root = dataDir, lines: string[] = []): ResourceContext {
  return { dataDir, stack: "test", environment: "local", host: "127.0.0.1", root, log: (line) => void lines.push(line) };
}

/** The resource named `name` of an inline stack. */
export function resourceFrom(yaml: string, name: string): Resource {
  const resource = stackFrom(yaml).resources.find((r) => r.name === name);
  if (!resource) throw new Error(`no resource ${name}`);
  return resource;
}

export interface Holder {
  readonly process: ChildProcess;
  readonly attributes: Record<string, string>;
  readonly pid: number | null;
}

const holderScript = fileURLToPath(new URL("./hold.ts", import.meta.url));

/**
 * Starts a resource inside a separate node process (like `cairn up` would), and resolves once it
 * answers, with its attributes. Killing that process with SIGKILL simulates a crash of `cairn up`.
 */
export function holdInChild(yaml: string, name: string, dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<Holder> {
  // stdin is a pipe the holder watches: when the test process ends, even by a failed test, so does it.
  const child = spawn(process.execPath, ["--import", "tsx", holderScript, yaml, name, dataDir], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr?.on("data", (d) => (err += d));
    child.stdout?.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith("READY "));
      if (line) {
        const ready = JSON.parse(line.slice(6)) as { attributes: Record<string, string>; pid: number | null };
        resolve({ process: child, attributes: ready.attributes, pid: ready.pid });
      }
    });
    child.once("exit", (code) => reject(new Error(`holder exited with ${code}: ${err}${out}`)));
  });
}

/** Kills a holder with SIGKILL and waits until it is gone. */
export async function killHolder(holder: Holder): Promise<void> {
  const gone = new Promise((r) => holder.process.once("exit", r));
  holder.process.kill("SIGKILL");
  await gone;
}
