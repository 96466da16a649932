/**
 * The SSH link to one host: OpenSSH's own client with one master connection that every step reuses
 * (ControlMaster), run as the user's ssh would be, with its config, agent and known_hosts. Errors
 * keep ssh's own words. The I/O edge of `cairn deploy`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DeployHost, SshSettings } from "../model/types.js";
import { sshOptions } from "../verify/ssh.js";

export interface SshTarget {
  readonly host: DeployHost;
  readonly ssh: SshSettings;
  /** Absolute path of the key, when the file gives one. */
  readonly keyFile: string | null;
  /** known_hosts file instead of ssh's own (CAIRN_KNOWN_HOSTS). */
  readonly knownHostsFile: string | null;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Why ssh failed, in a sentence and a fix, from its own words. */
export function explainSsh(stderr: string, target: string): { message: string; hint: string } {
  const words = stderr.trim().split("\n").slice(-3).join(" ").trim();
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/.test(stderr) && /CHANGED/.test(stderr))
    return {
      message: `the host key of ${target} changed since it was recorded: refusing to connect (ssh: "${words.slice(0, 200)}")`,
      hint: `If the machine was rebuilt, remove the old key with \`ssh-keygen -R ${target.replace(/^.*@/, "")}\` and deploy again; otherwise someone may be in the middle.`,
    };
  if (/Host key verification failed|No .* host key is known/.test(stderr))
    return {
      message: `the host key of ${target} is not known (ssh: "${words.slice(0, 200)}")`,
      hint: "Connect once with `ssh` to check and record its key, or set `ssh: { known_hosts: accept-new }` on the environment.",
    };
  if (/Permission denied/.test(stderr))
    return { message: `${target} refused the login (ssh: "${words.slice(0, 200)}")`, hint: "Check the user and `ssh.key` of the environment." };
  return { message: `cannot reach ${target} (ssh: "${words.slice(0, 200) || "no answer"}")`, hint: "Check the address, the port and that the machine is up." };
}

/** One host, one master connection. */
export class SshLink {
  private readonly dir = mkdtempSync(join(tmpdir(), "cairn-ssh-"));
  private master: ChildProcess | null = null;
  readonly destination: string;

  constructor(readonly target: SshTarget) {
    const { host } = target;
    this.destination = `${host.user}@${host.host}`;
  }

  /** The address as shown to the user. */
  get name(): string {
    return this.target.host.source;
  }

  private options(): string[] {
    const { host, ssh, keyFile, knownHostsFile } = this.target;
    return [
      ...sshOptions({ port: host.port ?? ssh.port, knownHosts: ssh.knownHosts, knownHostsFile, key: keyFile, jump: ssh.jump, connectTimeoutS: 10 }),
      "-o",
      "ServerAliveInterval=3",
      "-o",
      "ServerAliveCountMax=3",
      "-o",
      `ControlPath=${join(this.dir, "master")}`,
    ];
  }

  /** Opens the master connection; throws ssh's own words when it cannot. */
  async open(): Promise<void> {
    const master = spawn("ssh", [...this.options(), "-M", "-N", "-o", "ControlPersist=no", this.destination], { stdio: ["ignore", "ignore", "pipe"] });
    this.master = master;
    let stderr = "";
    master.stderr?.on("data", (c) => {
      stderr += c;
    });
    const exited = new Promise<number>((resolve) => master.once("exit", (code) => resolve(code ?? 255)));
    // Ready when a command goes through the master.
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      const ready = await Promise.race([exited.then(() => "exit" as const), new Promise<"wait">((r) => setTimeout(() => r("wait"), 100))]);
      if (ready === "exit") throw new SshError(explainSsh(stderr, this.name), stderr);
      const check = await this.spawnRun(["-O", "check"], null, null);
      if (check.code === 0) return;
    }
    throw new SshError({ message: `no SSH connection to ${this.name} after 30 s`, hint: "Check the address and that the machine is up." }, stderr);
  }

  /** True while the master connection is up. */
  async alive(): Promise<boolean> {
    return (await this.spawnRun(["-O", "check"], null, null)).code === 0;
  }

  /** `ssh <options> <flags> <destination> <command>`. */
  private spawnRun(
    flags: readonly string[],
    command: string | null,
    input: NodeJS.ReadableStream | string | null,
    onOut?: (text: string) => void,
  ): Promise<RunResult> {
    return new Promise((resolve) => {
      const args = [...this.options(), ...flags, this.destination, ...(command === null ? [] : [command])];
      const child = spawn("ssh", args, { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c) => {
        stdout += c;
        onOut?.(String(c));
      });
      child.stderr.on("data", (c) => {
        stderr += c;
      });
      child.stdin.on("error", () => {});
      if (typeof input === "string") child.stdin.end(input);
      else if (input) input.pipe(child.stdin);
      else child.stdin.end();
      child.once("error", (error) => resolve({ code: 255, stdout, stderr: `${stderr}${error.message}` }));
      child.once("close", (code) => resolve({ code: code ?? 255, stdout, stderr }));
    });
  }

  /** Runs a remote command line (already quoted for the remote shell); `input` goes to its stdin. */
  run(command: string, input: NodeJS.ReadableStream | string | null = null, onOut?: (text: string) => void): Promise<RunResult> {
    return this.spawnRun([], command, input, onOut);
  }

  /** A remote command whose output streams (`journalctl -f`); the caller ends it. */
  stream(command: string): ChildProcess {
    return spawn("ssh", [...this.options(), this.destination, command], { stdio: ["ignore", "pipe", "inherit"] });
  }

  /** Closes the master connection. Idempotent. */
  async close(): Promise<void> {
    if (this.master && this.master.exitCode === null) {
      await this.spawnRun(["-O", "exit"], null, null);
      this.master.kill("SIGTERM");
    }
    this.master = null;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The master process's id, for tests that cut the link. */
  get masterPid(): number | null {
    return this.master?.pid ?? null;
  }
}

/** An SSH failure with a message and a hint for the user, and ssh's own output. */
export class SshError extends Error {
  readonly hint: string;
  constructor(
    explained: { message: string; hint: string },
    readonly output: string,
  ) {
    super(explained.message);
    this.hint = explained.hint;
    this.name = "SshError";
  }
}
