/**
 * A real Debian 12 machine for end-to-end deploy tests: systemd as PID 1, sshd and apt, booted with
 * systemd-nspawn from a debootstrapped base (cached outside the clone, keyed by its package list),
 * in a network namespace of its own behind a bridge. The guest is `root@<net>.2`; traffic to
 * `<net>.0/24` never leaves this machine (an `unreachable` route catches it when the bridge is
 * gone), and the guest reaches the machine's own package mirrors through NAT. Needs root.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BASE_PACKAGES, baseKey, cacheRoot, SUITE } from "./recipe.js";

const TOOLS: Record<string, string> = { debootstrap: "debootstrap", "systemd-nspawn": "systemd-container", nft: "nftables", ssh: "openssh-client" };

function run(command: string, args: readonly string[], input?: string): string {
  return execFileSync(command, args, { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}

function quiet(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore" }).status === 0;
}

/** The Debian mirror this machine uses (first `URIs:` of its sources), so guests reach the same one. */
function mirror(): string {
  const sources = "/etc/apt/sources.list.d/debian.sources";
  if (existsSync(sources)) {
    const uri = /^URIs:\s*(\S+)/m.exec(readFileSync(sources, "utf8"))?.[1];
    if (uri) return uri;
  }
  return "http://deb.debian.org/debian";
}

/** Tools missing on this machine, as Debian packages to install. */
export function missingTools(): string[] {
  return Object.entries(TOOLS)
    .filter(([tool]) => !quiet("sh", ["-c", `command -v ${tool}`]))
    .map(([, pkg]) => pkg);
}

/** The harness's SSH key (made once per cache). */
export function harnessKey(): string {
  const root = cacheRoot();
  mkdirSync(root, { recursive: true });
  const key = join(root, "id_ed25519");
  if (!existsSync(key)) run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "cairn-testhost", "-f", key]);
  return key;
}

/**
 * The base rootfs, built once per package list (1-4 minutes) and kept in the cache. Concurrent
 * builders each debootstrap into their own folder; the first rename wins.
 */
export function ensureBase(log: (line: string) => void = () => {}): { rootfs: string; builtMs: number | null } {
  const dir = join(cacheRoot(), `base-${baseKey()}`);
  const rootfs = join(dir, "rootfs");
  if (existsSync(join(dir, "ok"))) return { rootfs, builtMs: null };
  const missing = missingTools();
  if (missing.length) throw new Error(`the test host needs ${missing.join(", ")}: apt-get install -y ${missing.join(" ")} (scripts/test.sh does)`);
  const started = Date.now();
  const work = `${dir}.build-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`building the test host's base rootfs (${SUITE}: ${BASE_PACKAGES.join(" ")}) in ${work}`);
  run("debootstrap", ["--variant=minbase", `--include=${BASE_PACKAGES.join(",")}`, SUITE, join(work, "rootfs"), mirror()]);
  const r = join(work, "rootfs");
  // A cloud image's network: systemd-networkd on the container's interface, configured at boot.
  run("chroot", [r, "systemctl", "enable", "systemd-networkd", "ssh"]);
  run("chroot", [r, "systemctl", "mask", "systemd-networkd-wait-online.service"]);
  run("chroot", [r, "apt-get", "clean"]);
  rmSync(join(r, "etc/apt/sources.list"), { force: true });
  writeFileSync(join(r, "etc/machine-id"), "");
  writeFileSync(join(work, "ok"), `${new Date().toISOString()}\n`);
  mkdirSync(dir, { recursive: true });
  try {
    renameSync(join(work, "rootfs"), rootfs);
    renameSync(join(work, "ok"), join(dir, "ok"));
  } catch {
    // Another builder finished first: its base is the same.
  }
  rmSync(work, { recursive: true, force: true });
  return { rootfs, builtMs: Date.now() - started };
}

export interface HostOptions {
  /** Machine name, at most 12 characters (the bridge is `br-<name>`). */
  readonly name: string;
  /** The guest's /24 as three octets, such as `10.231.40`. */
  readonly net: string;
  /** Disk to copy from (default: the cached base). */
  readonly from?: string;
  /** Folder for the guest's disk and logs (default: `<cache>/run-<name>`). */
  readonly dir?: string;
  /**
   * Share one folder of downloaded .deb files between guests and runs (default true): apt in the
   * guest still resolves and installs for real, it only skips downloading a package twice.
   */
  readonly aptCache?: boolean;
}

/** One booted guest. `close()` powers it off and removes its network. */
export class TestHost {
  readonly name: string;
  readonly net: string;
  readonly dir: string;
  readonly key: string;
  private loop: ChildProcess | null = null;

  constructor(readonly options: HostOptions) {
    if (!/^[a-z][a-z0-9-]{0,11}$/.test(options.name)) throw new Error(`test host name "${options.name}": 1-12 lower-case letters, digits, dashes`);
    if (!/^10\.\d{1,3}\.\d{1,3}$/.test(options.net)) throw new Error(`test host net "${options.net}": three octets in 10.0.0.0/8`);
    this.name = options.name;
    this.net = options.net;
    this.dir = options.dir ?? join(cacheRoot(), `run-${options.name}`);
    this.key = harnessKey();
  }

  /** The guest's address, and the bridge's (the machine, as the guest sees it). */
  get address(): string {
    return `${this.net}.2`;
  }
  get gateway(): string {
    return `${this.net}.1`;
  }
  get disk(): string {
    return join(this.dir, "disk");
  }

  /** A fresh copy of the disk, the network, the boot; resolves when sshd answers and the system is up. */
  async start(): Promise<number> {
    const started = Date.now();
    const from = this.options.from ?? ensureBase().rootfs;
    await this.stopGuest();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    run("cp", ["-a", "--reflink=auto", from, this.disk]);
    this.configureDisk();
    this.network("up");
    this.boot();
    await this.waitForSsh(60_000);
    this.ssh("systemctl is-system-running --wait >/dev/null 2>&1 || true");
    return Date.now() - started;
  }

  private configureDisk(): void {
    const r = this.disk;
    writeFileSync(join(r, "etc/hostname"), `${this.name}\n`);
    writeFileSync(join(r, "etc/hosts"), `127.0.0.1 localhost\n127.0.1.1 ${this.name}\n`);
    mkdirSync(join(r, "etc/systemd/network"), { recursive: true });
    writeFileSync(
      join(r, "etc/systemd/network/10-host0.network"),
      `[Match]\nName=host0\n[Network]\nAddress=${this.address}/24\nGateway=${this.gateway}\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n`,
    );
    rmSync(join(r, "etc/resolv.conf"), { force: true });
    copyFileSync("/etc/resolv.conf", join(r, "etc/resolv.conf"));
    mkdirSync(join(r, "etc/apt/sources.list.d"), { recursive: true });
    if (existsSync("/etc/apt/sources.list.d/debian.sources"))
      copyFileSync("/etc/apt/sources.list.d/debian.sources", join(r, "etc/apt/sources.list.d/debian.sources"));
    mkdirSync(join(r, "root/.ssh"), { recursive: true, mode: 0o700 });
    writeFileSync(join(r, "root/.ssh/authorized_keys"), readFileSync(`${this.key}.pub`), { mode: 0o600 });
  }

  private network(direction: "up" | "down"): void {
    const bridge = `br-${this.name}`;
    const table = `cairn_${this.name.replace(/-/g, "_")}`;
    quiet("nft", ["delete", "table", "ip", table]);
    quiet("ip", ["link", "del", bridge]);
    if (direction === "down") return;
    // Never leak to the default gateway, with or without the bridge.
    run("ip", ["route", "replace", "unreachable", `${this.net}.0/24`, "metric", "4000"]);
    run("ip", ["link", "add", bridge, "type", "bridge"]);
    run("ip", ["addr", "add", `${this.gateway}/24`, "dev", bridge]);
    run("ip", ["link", "set", bridge, "up"]);
    run("sysctl", ["-qw", "net.ipv4.ip_forward=1"]);
    run(
      "nft",
      ["-f", "-"],
      `table ip ${table} {\n chain post { type nat hook postrouting priority 100; ip saddr ${this.net}.0/24 oifname != "${bridge}" masquerade; }\n}\n`,
    );
  }

  /** systemd-nspawn in a loop: exit code 133 is a guest reboot, booted again on the same disk. */
  private boot(): void {
    const log = openSync(join(this.dir, "console.log"), "a");
    const uuid = `${this.name
      .padEnd(8, "0")
      .slice(0, 8)
      .replace(/[^0-9a-f]/g, "0")}-0000-4000-8000-${Buffer.from(this.net).toString("hex").padEnd(12, "0").slice(0, 12)}`;
    const nspawn = [
      "systemd-nspawn",
      "-D",
      this.disk,
      "-M",
      this.name,
      `--uuid=${uuid}`,
      "-b",
      `--network-bridge=br-${this.name}`,
      "--register=no",
      "--keep-unit",
      "--console=read-only",
    ]
      .map((a) => `'${a}'`)
      .join(" ");
    const script = `while :; do ${nspawn}${this.aptBind()} & echo $! > '${join(this.dir, "nspawn.pid")}'; rc=0; wait $! || rc=$?; [ $rc -eq 133 ] || break; done`;
    this.loop = spawn("bash", ["-c", script], { detached: true, stdio: ["ignore", log, log] });
    this.loop.unref();
    writeFileSync(join(this.dir, "loop.pid"), String(this.loop.pid));
  }

  private aptBind(): string {
    if (this.options.aptCache === false) return "";
    const archives = join(cacheRoot(), "apt-archives");
    mkdirSync(join(archives, "partial"), { recursive: true });
    return ` '--bind=${archives}:/var/cache/apt/archives'`;
  }

  /** Runs a shell command on the guest as root; throws with its output when it fails. */
  ssh(command: string, input?: string): string {
    return run("ssh", [...this.sshOptions(), `root@${this.address}`, command], input);
  }

  /** Like `ssh`, returning status and output instead of throwing. */
  trySsh(command: string): { status: number | null; output: string } {
    const r = spawnSync("ssh", [...this.sshOptions(), `root@${this.address}`, command], { encoding: "utf8" });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  }

  sshOptions(): string[] {
    return [
      "-i",
      this.key,
      "-o",
      "StrictHostKeyChecking=no",
      "-o",
      "UserKnownHostsFile=/dev/null",
      "-o",
      "LogLevel=ERROR",
      "-o",
      "ConnectTimeout=2",
      "-o",
      "BatchMode=yes",
      "-F",
      "none",
    ];
  }

  async waitForSsh(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.trySsh("true").status === 0) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`test host ${this.name} (${this.address}): no SSH after ${timeoutMs} ms; see ${join(this.dir, "console.log")}`);
  }

  /** Reboots the guest and waits for it to come back. */
  async reboot(): Promise<void> {
    const bootId = this.ssh("cat /proc/sys/kernel/random/boot_id").trim();
    this.trySsh("systemctl reboot");
    const until = Date.now() + 90_000;
    while (Date.now() < until) {
      const now = this.trySsh("cat /proc/sys/kernel/random/boot_id");
      if (now.status === 0 && now.output.trim() !== bootId) {
        this.ssh("systemctl is-system-running --wait >/dev/null 2>&1 || true");
        return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`test host ${this.name}: did not come back from a reboot`);
  }

  private pid(file: string): number | null {
    const path = join(this.dir, file);
    if (!existsSync(path)) return null;
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  private alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Powers the guest off (SIGTERM to nspawn: a clean shutdown), then SIGKILL after 30 s. */
  private async stopGuest(): Promise<void> {
    const loop = this.pid("loop.pid");
    if (loop && this.alive(loop)) process.kill(loop, "SIGKILL");
    const pid = this.pid("nspawn.pid");
    if (pid && this.alive(pid)) {
      process.kill(pid, "SIGTERM");
      const until = Date.now() + 30_000;
      while (this.alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      if (this.alive(pid)) process.kill(pid, "SIGKILL");
      while (this.alive(pid)) await new Promise((r) => setTimeout(r, 50));
    }
    rmSync(join(this.dir, "nspawn.pid"), { force: true });
    rmSync(join(this.dir, "loop.pid"), { force: true });
  }

  /** Powers off and keeps the disk, for a snapshot; `start({from})` of another host boots a copy. */
  async stop(): Promise<void> {
    await this.stopGuest();
    this.network("down");
  }

  /** Copies the powered-off disk to `path` (replacing it). */
  snapshot(path: string): void {
    rmSync(path, { recursive: true, force: true });
    run("cp", ["-a", "--reflink=auto", this.disk, path]);
  }

  /** Powers off, removes the bridge and the disk; the unreachable route stays, guarding the subnet. Idempotent. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
