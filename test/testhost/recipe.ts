/**
 * What a test host's base disk is: Debian 12 as a fresh cloud image has it (systemd, sshd, apt,
 * sudo, curl), never what a deploy installs. The cache key is made of this list, so changing it
 * builds a new base.
 */
import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";

export const SUITE = "bookworm";

/** Packages of the base rootfs (debootstrap --variant=minbase --include=...). */
export const BASE_PACKAGES = ["systemd", "systemd-sysv", "dbus", "openssh-server", "sudo", "ca-certificates", "curl", "iproute2", "procps", "less"] as const;

/** Bumped when the steps after debootstrap change. */
const RECIPE_VERSION = 1;

/** A short, stable key of the base: suite, packages and recipe. */
export function baseKey(): string {
  return createHash("sha256").update(JSON.stringify({ SUITE, BASE_PACKAGES, RECIPE_VERSION })).digest("hex").slice(0, 12);
}

/** Where bases and the harness's SSH key live: outside any clone, kept between runs. */
export function cacheRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.CAIRN_TESTHOST_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "cairn-testhost");
}
