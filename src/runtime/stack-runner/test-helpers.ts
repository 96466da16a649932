/**
 * Helpers for the runtime's end-to-end tests: the CLI run as a real process (from the sources,
 * through tsx), example stacks copied to a temporary folder with free ports, and /proc scans.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export { waitFor } from "../../test-support/wait.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const mainPath = join(repo, "src", "cli", "main.ts");

export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<number | null>;
}

/** Starts `cairn ARGS` as its own process. */
export function startCli(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): CliProcess {
  const script = `const { main } = await import(${JSON.stringify(mainPath)}); process.exitCode = await main(process.argv.slice(1));`;
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), "--input-type=module", "-e", script, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs `cairn ARGS` to its end. */
export async function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string> }) {
  const cli = startCli(args, options);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** Copies an example folder to a temporary one, edits its cairn.yaml, and returns the folder. */
export function copyExample(name: string, edit: (text: string) => string = (t) => t): string {
  const dir = mkdtempSync(join(tmpdir(), `cairn-${name}-`));
  cpSync(join(repo, "examples", name), dir, { recursive: true, filter: (src) => !/[/\\](\.cairn|dist|\.cache|\.env)$/.test(src) });
  const file = join(dir, "cairn.yaml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Pids of live processes (zombies excluded) whose process group is one of `groups` or whose pid is in `pids`. */
export function survivors(pids: readonly number[], groups: readonly number[] = pids): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") continue;
      if (pids.includes(Number(entry)) || groups.includes(Number(fields[2]))) found.push(Number(entry));
    } catch {
      // ended while we looked
    }
  }
  return found;
}

export { repo };
