/**
 * The real servers of a verify test host: nginx running the edge the vm target generates (with the
 * test's certificate), an sshd that takes the test's key only, and the application the edge proxies
 * to (HTTP and a WebSocket endpoint), served by the test on its side of the link.
 */
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { WebSocketServer } from "ws";
import type { Stack } from "../../model/types.js";
import { renderNginx } from "../../targets/common/nginx.js";
import type { Certificate } from "./certs.js";
import { type TestHost, waitForPort } from "./netns.js";

/** An HTTP app on `address`: 200 on every path, WebSocket upgrades on `/live` only (as CityFlow's dashboard). */
export async function startApp(address: string): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" }).end(`ok ${req.url}\n`);
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    if (req.url !== "/live") return void socket.destroy();
    sockets.handleUpgrade(req, socket, head, (ws) => ws.send("hello"));
  });
  await new Promise<void>((done) => server.listen(0, address, done));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((done) => {
        for (const ws of sockets.clients) ws.terminate();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export interface EdgeServer {
  /** Serves this certificate from now on (reloads nginx and waits for it). */
  serve(certificate: Certificate): Promise<void>;
}

/** nginx in the host's namespace with the vm target's site for `stack`, proxying to `upstream`. */
export async function startEdge(host: TestHost, stack: Stack, dir: string, upstream: string, certificate: Certificate): Promise<EdgeServer> {
  const certDir = join(dir, "live");
  mkdirSync(certDir, { recursive: true });
  mkdirSync(join(dir, "logs"), { recursive: true });
  const install = (c: Certificate) => {
    copyFileSync(c.certFile, join(certDir, "fullchain.pem"));
    copyFileSync(c.keyFile, join(certDir, "privkey.pem"));
  };
  install(certificate);
  const site = renderNginx(stack, { servers: () => [upstream], staticRoot: () => dir, logDir: join(dir, "logs"), certDir, acmeRoot: dir });
  writeFileSync(join(dir, "site.conf"), site.content);
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `    ${t}_temp_path ${join(dir, `${t}-temp`)};`);
  writeFileSync(
    join(dir, "nginx.conf"),
    [
      `pid ${join(dir, "nginx.pid")};`,
      `error_log ${join(dir, "logs", "error.log")};`,
      "events {}",
      "http {",
      "    access_log off;",
      ...temp,
      `    include ${join(dir, "site.conf")};`,
      "}",
      "",
    ].join("\n"),
  );
  host.start("nginx", ["-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off;"]);
  await waitForPort(host.address, 443);
  return {
    async serve(next) {
      install(next);
      const master = Number(readFileSync(join(dir, "nginx.pid"), "utf8").trim());
      const before = workersOf(master);
      process.kill(master, "SIGHUP");
      // A reload starts new workers with the new certificate while the old ones still accept for a
      // moment: wait until every old worker has gone and a new one answers with the new certificate.
      const expected = new X509Certificate(next.pem).fingerprint256;
      const end = Date.now() + 10_000;
      const oldAlive = () => before.some((pid) => existsSync(`/proc/${pid}`));
      while (oldAlive() || (await servedFingerprint(host.address, stack.environment.domain ?? "localhost")) !== expected) {
        if (Date.now() > end) throw new Error("nginx still serves the previous certificate after a reload");
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** The worker processes of an nginx master, from /proc. */
function workersOf(master: number): number[] {
  const tasks = readdirSync(`/proc/${master}/task`);
  return tasks.flatMap((task) => readFileSync(`/proc/${master}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
}

function servedFingerprint(address: string, name: string): Promise<string> {
  return new Promise((done) => {
    const socket = tlsConnect({ host: address, port: 443, servername: name, rejectUnauthorized: false });
    socket.once("secureConnect", () => {
      done(socket.getPeerCertificate().fingerprint256);
      socket.destroy();
    });
    socket.once("error", () => done(""));
  });
}

export interface SshServer {
  readonly port: number;
  /** The client's private key. */
  readonly key: string;
  /** A known_hosts file naming the server's real key. */
  readonly knownHosts: string;
  /** A known_hosts file naming another key for the same address (a changed host key). */
  readonly wrongKnownHosts: string;
}

/** sshd in the host's namespace: key-only root login with the test's own key. */
export async function startSsh(host: TestHost, dir: string): Promise<SshServer> {
  mkdirSync(dir, { recursive: true });
  const keygen = (file: string) => execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, file)]);
  for (const file of ["host", "client", "other"]) keygen(file);
  copyFileSync(join(dir, "client.pub"), join(dir, "authorized_keys"));
  const line = (file: string) =>
    `${host.address} ${readFileSync(join(dir, `${file}.pub`), "utf8")
      .split(" ")
      .slice(0, 2)
      .join(" ")}\n`;
  writeFileSync(join(dir, "known_hosts"), line("host"));
  writeFileSync(join(dir, "wrong_known_hosts"), line("other"));
  writeFileSync(
    join(dir, "sshd_config"),
    [
      `ListenAddress ${host.address}`,
      "Port 22",
      `HostKey ${join(dir, "host")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "",
    ].join("\n"),
  );
  // sshd's privilege separation needs this folder; a machine without a running sshd may not have it.
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  host.start("/usr/sbin/sshd", ["-D", "-e", "-f", join(dir, "sshd_config")]);
  await waitForPort(host.address, 22);
  return { port: 22, key: join(dir, "client"), knownHosts: join(dir, "known_hosts"), wrongKnownHosts: join(dir, "wrong_known_hosts") };
}
