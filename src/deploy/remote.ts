/**
 * Commands to a host's agent over an SSH link: root or sudo, the agent installed, the switch
 * followed until it ends. Every argument is a validated id or name, or quoted.
 */
import { stateDir } from "./agent.js";
import type { RunResult, SshLink } from "./ssh.js";

/** A remote step that failed, with its output for the user. */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly output: string,
    readonly code: number,
  ) {
    super(message);
    this.name = "RemoteError";
  }
}

/** A word for the remote shell, single-quoted unless plain. */
export function q(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export class Agent {
  constructor(
    readonly link: SshLink,
    readonly stack: string,
    /** `sudo -n ` when the login is not root, else empty. */
    readonly sudo: string,
  ) {}

  get path(): string {
    return `${stateDir(this.stack)}/agent`;
  }

  /** Installs (or replaces) the agent script, root only. */
  async install(script: string): Promise<void> {
    const dir = stateDir(this.stack);
    const command = `${this.sudo}sh -c ${q(`umask 077 && mkdir -p ${dir} && cat > ${dir}/agent.new && mv ${dir}/agent.new ${dir}/agent`)}`;
    const r = await this.link.run(command, script);
    if (r.code !== 0) throw new RemoteError(`could not install Cairn's agent on ${this.link.name}`, r.stderr, r.code);
  }

  /** `agent <args>`; input goes to its stdin. */
  call(args: readonly string[], input: NodeJS.ReadableStream | string | null = null, onOut?: (text: string) => void): Promise<RunResult> {
    return this.link.run(`${this.sudo}bash ${this.path} ${args.map(q).join(" ")}`, input, onOut);
  }

  /** Like `call`, throwing a RemoteError with the output when it fails. */
  async must(what: string, args: readonly string[], input: NodeJS.ReadableStream | string | null = null, onOut?: (text: string) => void): Promise<RunResult> {
    const r = await this.call(args, input, onOut);
    if (r.code !== 0) {
      const said = `${r.stderr}${r.stdout}`.trim().split("\n").slice(-12).join("\n");
      throw new RemoteError(`${what} failed on ${this.link.name}${said ? `:\n${said}` : ""}`, `${r.stdout}${r.stderr}`, r.code);
    }
    return r;
  }
}

/** What a host is, asked in one round trip before anything changes on it. */
export interface HostFacts {
  readonly uid: number;
  readonly sudo: boolean;
  readonly os: string;
  readonly osName: string;
  /** The deployer's address as the host sees it. */
  readonly client: string;
  readonly freeKb: number;
}

export const FACTS_COMMAND = [
  'echo "UID=$(id -u)"',
  "if sudo -n true 2>/dev/null; then echo SUDO=1; else echo SUDO=0; fi",
  '. /etc/os-release 2>/dev/null; echo "OS=${ID:-unknown}"; echo "OSNAME=${PRETTY_NAME:-unknown}"',
  'echo "CLIENT=${SSH_CLIENT%% *}"',
  "echo \"FREE=$(df -Pk / | awk 'NR==2 {print $4}')\"",
].join("; ");

export function parseFacts(text: string): HostFacts {
  const get = (key: string) => new RegExp(`^${key}=(.*)$`, "m").exec(text)?.[1]?.trim() ?? "";
  return {
    uid: Number(get("UID") || -1),
    sudo: get("SUDO") === "1",
    os: get("OS"),
    osName: get("OSNAME"),
    client: get("CLIENT"),
    freeKb: Number(get("FREE") || 0),
  };
}
