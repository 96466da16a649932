/**
 * The one seam through which verify reaches a host: a script run over SSH, given on stdin. The
 * default runs the system's `ssh` client (its keys, agent and config apply); `cairn deploy` passes its
 * own runner, which reuses its connection.
 */
import { spawn } from "node:child_process";
import type { VerifyHost } from "./types.js";

export interface RemoteResult {
  /** Exit code of the script; 255 is ssh's own failure (unreachable, refused key, changed host key). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a POSIX shell script on a host. */
export type RemoteRunner = (host: VerifyHost, script: string) => Promise<RemoteResult>;

export interface SshSettings {
  /** Private key file. */
  readonly key?: string;
  /** `strict` (default): a host not in known_hosts is refused; `accept-new` records it on first contact. */
  readonly knownHosts?: "strict" | "accept-new";
  /** A known_hosts file other than the user's own. */
  readonly knownHostsFile?: string;
  /** A jump host, `user@host[:port]`. */
  readonly jump?: string;
  readonly timeoutMs?: number;
}

/** How the `ssh` client reaches a host: the options `cairn deploy`'s link and verify's runner share. */
export interface SshReach {
  readonly port: number;
  readonly knownHosts?: "strict" | "accept-new";
  readonly knownHostsFile?: string | null;
  readonly key?: string | null;
  readonly jump?: string | null;
  readonly connectTimeoutS: number;
}

/** The client options for a host: no prompts, the known_hosts policy, the key alone when one is given, the jump host. Pure. */
export function sshOptions(reach: SshReach): string[] {
  const options = [
    "-p",
    String(reach.port),
    "-o",
    "BatchMode=yes",
    "-o",
    `ConnectTimeout=${reach.connectTimeoutS}`,
    "-o",
    `StrictHostKeyChecking=${reach.knownHosts === "accept-new" ? "accept-new" : "yes"}`,
  ];
  if (reach.key) options.push("-i", reach.key, "-o", "IdentitiesOnly=yes");
  if (reach.knownHostsFile) options.push("-o", `UserKnownHostsFile=${reach.knownHostsFile}`);
  if (reach.jump) options.push("-J", reach.jump);
  return options;
}

/** The `ssh` arguments for a host. Pure; host values come from the model's hosts, whose addresses admit no leading dash. */
export function sshArgs(host: VerifyHost, settings: SshSettings): string[] {
  return [
    ...sshOptions({
      port: host.port,
      knownHosts: settings.knownHosts,
      knownHostsFile: settings.knownHostsFile,
      key: settings.key,
      jump: settings.jump,
      connectTimeoutS: Math.max(1, Math.ceil((settings.timeoutMs ?? 10_000) / 1000)),
    }),
    "-o",
    "LogLevel=ERROR",
    `${host.user}@${host.host}`,
    "sh -s",
  ];
}

/** A runner that spawns `ssh`; the script goes on stdin, so nothing of it is parsed by a remote login shell's argv. */
export function sshRunner(settings: SshSettings = {}): RemoteRunner {
  return (host, script) =>
    new Promise((done) => {
      const child = spawn("ssh", sshArgs(host, settings), { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      const limit = settings.timeoutMs ?? 10_000;
      // A hung link must not hang the verify: the whole script gets twice the connect timeout.
      const timer = setTimeout(() => {
        stderr += `\nssh: no answer within ${limit * 2} ms`;
        child.kill("SIGKILL");
      }, limit * 2);
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
      });
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      child.on("error", (error) => {
        clearTimeout(timer);
        done({ code: null, stdout, stderr: `${stderr}${(error as NodeJS.ErrnoException).code === "ENOENT" ? "ssh is not installed" : error.message}` });
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        done({ code, stdout, stderr: stderr.trim() });
      });
      child.stdin.on("error", () => {
        // ssh ended before reading the script: its exit code and stderr say why.
      });
      child.stdin.end(script);
    });
}
