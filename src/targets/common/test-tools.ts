/**
 * Helpers for target tests that drive the real tools: find a tool on the PATH (or fail naming its
 * package), write an output to a temporary folder, and check an nginx site with `nginx -t` inside a
 * private prefix (log and certificate paths moved into it, test certificates made with openssl).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import type { TargetOutput } from "../types.js";

/** Writes every file of an output under a new temporary folder; returns the folder. */
export function writeOutput(output: TargetOutput, prefix = "cairn-target-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const file of output.files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content, { mode: file.mode ?? 0o644 });
  }
  return dir;
}

let certificate: string | null = null;

/** A self-signed certificate as `fullchain.pem` and `privkey.pem` in `dir` (made once per test file). */
export function testCertificate(dir: string): void {
  if (certificate === null) {
    certificate = mkdtempSync(join(tmpdir(), "cairn-cert-"));
    const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost"];
    execFileSync("openssl", [...args, "-keyout", join(certificate, "privkey.pem"), "-out", join(certificate, "fullchain.pem")], { stdio: "ignore" });
  }
  mkdirSync(dir, { recursive: true });
  for (const file of ["privkey.pem", "fullchain.pem"]) copyFileSync(join(certificate, file), join(dir, file));
}

/**
 * The site moved into a private prefix: logs and certificates under `prefix`, and, when given,
 * upstream host names replaced (compose's service names do not resolve outside Docker).
 */
export function relocateSite(site: string, prefix: string, hosts: readonly string[] = []): string {
  let text = site.replace(/\/var\/log\/nginx\//g, `${prefix}/logs/`).replace(/\/etc\/letsencrypt\/live\/[^/\s;]+\//g, `${prefix}/certs/`);
  text = text.replace(/\/etc\/nginx\/certs\//g, `${prefix}/certs/`);
  for (const host of hosts) text = text.replace(new RegExp(`server ${host.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:`, "g"), "server 127.0.0.1:");
  return text;
}

/** A main nginx.conf around a site, everything inside `prefix`. */
export function mainConfig(prefix: string, site: string): string {
  mkdirSync(join(prefix, "logs"), { recursive: true });
  mkdirSync(join(prefix, "tmp"), { recursive: true });
  writeFileSync(join(prefix, "site.conf"), site);
  const conf = [
    "daemon off;",
    "master_process off;",
    `pid ${prefix}/nginx.pid;`,
    `error_log ${prefix}/logs/error.log warn;`,
    "events { worker_connections 256; }",
    "http {",
    `  client_body_temp_path ${prefix}/tmp/body;`,
    `  proxy_temp_path ${prefix}/tmp/proxy;`,
    `  fastcgi_temp_path ${prefix}/tmp/fastcgi;`,
    `  uwsgi_temp_path ${prefix}/tmp/uwsgi;`,
    `  scgi_temp_path ${prefix}/tmp/scgi;`,
    `  access_log ${prefix}/logs/access.log;`,
    `  include ${prefix}/site.conf;`,
    "}",
  ].join("\n");
  const path = join(prefix, "nginx.conf");
  writeFileSync(path, conf);
  return path;
}

/** Runs `nginx -t` on a site; returns nginx's status and output. */
export function nginxTest(site: string, hosts: readonly string[] = []): { status: number | null; output: string } {
  const prefix = mkdtempSync(join(tmpdir(), "cairn-nginx-"));
  if (/ssl_certificate /.test(site)) testCertificate(join(prefix, "certs"));
  const conf = mainConfig(prefix, relocateSite(site, prefix, hosts));
  const run = spawnSync("nginx", ["-t", "-q", "-c", conf, "-p", prefix], { encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/**
 * The absolute path of a tool a test drives, found on the PATH; throws, naming the Debian package to
 * install, when it is not there (scripts/test.sh installs them all), so a missing tool fails the test
 * instead of passing it by silence.
 */
export function requireTool(name: string, debianPackage: string): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // Not in this folder: the next one.
    }
  }
  throw new Error(`${name} is not on the PATH: install Debian's ${debianPackage} package (scripts/test.sh lists it)`);
}
