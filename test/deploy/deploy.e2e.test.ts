/**
 * `cairn deploy` end to end on real Debian 12 hosts (systemd, sshd, apt, booted with
 * systemd-nspawn in network namespaces of their own; see test/testhost). One at a time: the first
 * test deploys Mangetamain to a fresh host, from the base a cloud image has; the later ones start
 * from a snapshot of that host after its install, to keep the run short.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../src/test-support/index.js";
import { ensureBase, TestHost } from "../testhost/host.js";
import { cairn, copyStack, FIXTURES, fill, knownHostsFile, servedReleases, until } from "./helpers.js";
import { startLoad } from "./load.js";

const NET = "10.231.61";
const NET2 = "10.231.62";
const NET3 = "10.231.63";
const SECRET = "canary-9f1c2e7d4b";
const hosts: TestHost[] = [];
let snapshot = "";
let known = "";

function host(name: string, net: string, from?: string): TestHost {
  const h = new TestHost({ name, net, ...(from ? { from } : {}) });
  hosts.push(h);
  return h;
}

/** The shop fixture pointed at the given hosts, with VERSION written. */
function shop(targets: readonly TestHost[], version: string, admin = `${NET}.1/32`): string {
  const dir = copyStack(join(FIXTURES, "shop"), "shop");
  const first = targets[0] as TestHost;
  fill(dir, { ADMIN: admin, HOSTS: targets.map((t) => `root@${t.address}`).join(", "), KEY: first.key });
  writeFileSync(join(dir, "VERSION"), `${version}\n`);
  return dir;
}

beforeAll(() => {
  const { builtMs } = ensureBase((line) => process.stderr.write(`${line}\n`));
  if (builtMs !== null) process.stderr.write(`test host base built in ${(builtMs / 1000).toFixed(1)} s\n`);
  known = knownHostsFile();
}, 900_000);

afterAll(async () => {
  for (const h of hosts) await h.close();
  if (snapshot) rmSync(snapshot, { recursive: true, force: true });
}, 120_000);

describe.sequential("cairn deploy on real hosts", () => {
  it("1. Mangetamain to a fresh host: refused when the firewall would lock the deployer out, then installed, filtered and answering", async () => {
    const guest = host("e2e-first", NET);
    await guest.start();
    const dir = copyStack(join(repoRoot, "examples/mangetamain"), "mangetamain");
    const yaml = readFileSync(join(dir, "cairn.yaml"), "utf8").replace(
      "    usage: { data_out: 10GB, requests: 300000, logs: 1GB }",
      `    usage: { data_out: 10GB, requests: 300000, logs: 1GB }\n    hosts: [root@${guest.address}]\n    ssh: { key: ${guest.key}, known_hosts: accept-new }`,
    );
    writeFileSync(join(dir, "cairn.yaml"), yaml);
    // The file's own admin rule: SSH only from 198.51.100.7/32.
    const refused = await cairn(["deploy", dir], {}, known);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("198.51.100.7/32");
    expect(refused.err).toContain(`${NET}.1`);
    expect(guest.trySsh("ufw status 2>/dev/null | grep -q 'Status: active'").status).not.toBe(0);
    expect(guest.ssh("ls /var/lib/cairn/mangetamain/lock 2>/dev/null | wc -l").trim()).toBe("0");

    writeFileSync(join(dir, "cairn.yaml"), yaml.replace("198.51.100.7/32", `${NET}.1/32`));
    const first = await cairn(["deploy", dir, "--json"], {}, known);
    expect(first.code, first.err).toBe(0);
    const report = JSON.parse(first.out);
    expect(report.hosts[0].ok).toBe(true);
    expect(report.hosts[0].timings.aptMs).toBeGreaterThan(0);
    // The deploy ends with `cairn verify` of the host: the dashboard's health and WebSocket on its own
    // port, the ports (8501 open, SSH from the admin address, the rest closed), the units over SSH.
    expect(report.verify.ok, JSON.stringify(report.verify.checks)).toBe(true);
    const passed = report.verify.checks.filter((c: { status: string }) => c.status === "pass").map((c: { kind: string }) => c.kind);
    expect(passed).toEqual(expect.arrayContaining(["health", "websocket", "ports", "unit", "disk"]));
    process.stderr.write(`first deploy: ${first.ms} ms, apt ${report.hosts[0].timings.aptMs} ms\n`);
    const rules = guest.ssh("ufw status | sed -n '/^--/,$p' | tail -n +2").trim().split("\n").filter(Boolean);
    expect(rules.filter((r) => !r.includes("(v6)")).map((r) => r.replace(/\s+/g, " "))).toEqual([
      `22/tcp ALLOW ${NET}.1 # admin SSH`,
      "8501/tcp ALLOW Anywhere # dashboard",
    ]);
    const health = await fetch(`http://${guest.address}:8501/_stcore/health`);
    expect(health.status).toBe(200);
    // Only the declared ports answer from outside: nginx is not even there for this stack.
    await expect(fetch(`http://${guest.address}:80/`, { signal: AbortSignal.timeout(3000) })).rejects.toThrow();
    // Later hosts start from this install on other subnets: the firewall of this one stays behind.
    guest.ssh("ufw --force reset >/dev/null");
    await guest.stop();
    snapshot = join(mkdtempSync(join(tmpdir(), "cairn-e2e-snap-")), "disk");
    guest.snapshot(snapshot);
    await guest.close();
  }, 600_000);

  it("2. a Python service with PostgreSQL + PostGIS and Redis on the host, a before: migration, a backup timer, dependencies from a wheel", async () => {
    const geo = host("e2e-geo", NET3, snapshot);
    await geo.start();
    const dir = copyStack(join(FIXTURES, "geo"), "geo");
    fill(dir, { ADMIN: `${NET3}.1/32`, HOSTS: `root@${geo.address}`, KEY: geo.key });
    const run = await cairn(["deploy", dir, "--json"], {}, known);
    expect(run.code, `${run.err}${run.out}`).toBe(0);
    process.stderr.write(`python + postgres + redis deploy: ${run.ms} ms, apt ${JSON.parse(run.out).hosts[0].timings.aptMs} ms\n`);
    expect(await (await fetch(`http://${geo.address}/`)).json()).toEqual({ greeting: "hello from a wheel", zones: "1", cache: "+PONG" });
    expect(geo.ssh("runuser -u postgres -- psql -d zones -tAc 'SELECT postgis_version()'")).toMatch(/^3\./);
    expect(geo.ssh("systemctl list-timers --all --no-legend geo-backup-db.timer")).toContain("geo-backup-db.timer");
    geo.ssh("systemctl start geo-backup-db.service");
    expect(geo.ssh("ls /var/backups/geo/db")).toMatch(/^db-\d{8}-\d{6}\.dump$/m);
    expect(geo.ssh("ls -d /opt/geo/current/.venv/lib/python3*/site-packages/cairn_fixture_greeting")).toContain("cairn_fixture_greeting");
    await geo.close();
  }, 900_000);

  let guest: TestHost;
  let dir = "";
  const releases: string[] = [];
  let lastRun: { out: string; err: string } = { out: "", err: "" };

  it("4. an update of a 2-replica service under load: 0 failed requests", async () => {
    guest = host("e2e-main", NET, snapshot);
    await guest.start();
    dir = shop([guest], "v1");
    const first = await cairn(["deploy", dir, "--json"], { API_TOKEN: SECRET }, known);
    expect(first.code, first.err).toBe(0);
    releases.push(JSON.parse(first.out).release);
    writeFileSync(join(dir, "VERSION"), "v2\n");
    const load = startLoad(`http://${guest.address}/`, { connections: 20, maxMs: 240_000, pick: (b) => JSON.parse(b).version });
    await until(() => load.counts.ok >= 20, 30_000, "the load to start");
    const before = load.counts.ok + load.counts.failed;
    const update = await cairn(["deploy", dir, "--json"], { API_TOKEN: SECRET }, known);
    const during = load.counts.ok + load.counts.failed - before;
    const result = await load.stop();
    expect(update.code, update.err).toBe(0);
    releases.push(JSON.parse(update.out).release);
    expect(result.failures).toEqual([]);
    expect(result.failed).toBe(0);
    expect(during).toBeGreaterThanOrEqual(500);
    expect(result.bodies.get("v2")).toBeGreaterThan(0);
    process.stderr.write(`update under load: ${update.ms} ms, ${during} requests during it, 0 failed\n`);
    const served = servedReleases(guest, "shop");
    expect(served.replicas).toEqual([releases[1], releases[1]]);
    expect(served.current).toBe(releases[1]);
  }, 600_000);

  it("5. a release whose health never passes rolls back by itself: 0 failed requests, the replica named with its log", async () => {
    writeFileSync(join(dir, "BROKEN"), "never healthy\n");
    writeFileSync(join(dir, "VERSION"), "v3\n");
    const load = startLoad(`http://${guest.address}/`, { connections: 20, maxMs: 240_000, pick: (b) => JSON.parse(b).version });
    await until(() => load.counts.ok >= 20, 30_000, "the load to start");
    const broken = await cairn(["deploy", dir], { API_TOKEN: SECRET }, known);
    const result = await load.stop();
    rmSync(join(dir, "BROKEN"));
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/replica shop-web@300\d\.service did not become healthy/);
    expect(broken.out).toContain("web v3 on");
    expect(broken.err).toContain("rolled back");
    expect(result.failed).toBe(0);
    expect(result.bodies.has("v3")).toBe(false);
    const served = servedReleases(guest, "shop");
    expect(served.current).toBe(releases[1]);
    expect(served.replicas).toEqual([releases[1], releases[1]]);
  }, 600_000);

  it("6. releases, rollback to a named release, and the lock refusing a concurrent deploy", async () => {
    const listed = await cairn(["releases", dir], {}, known);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toMatch(new RegExp(`\\* ${releases[1]}`));
    expect(listed.out).toContain(releases[0]);
    expect(listed.out).toContain("tester@e2e");
    const back = await cairn(["rollback", releases[0] as string, "-s", dir], {}, known);
    expect(back.code, back.err).toBe(0);
    expect(servedReleases(guest, "shop")).toEqual({ current: releases[0], replicas: [releases[0], releases[0]] });
    expect(await (await fetch(`http://${guest.address}/`)).json()).toMatchObject({ version: "v1" });
    // Another deploy holds the lock.
    guest.ssh("bash /var/lib/cairn/shop/agent lock alice@laptop 20261201-101010");
    const locked = await cairn(["deploy", dir], { API_TOKEN: SECRET }, known);
    expect(locked.code).toBe(1);
    expect(locked.err).toContain("locked by another deploy: alice@laptop since");
    expect(locked.err).toContain("--force-unlock");
    const forced = await cairn(["deploy", dir, "--force-unlock", "--json"], { API_TOKEN: SECRET }, known);
    expect(forced.code, forced.err).toBe(0);
    lastRun = forced;
    expect(guest.ssh("ls /var/lib/cairn/shop | grep -c '^lock$' || true").trim()).toBe("0");
  }, 600_000);

  it("bad input: an unreachable host, a changed host key, not Debian, no root or sudo, a full disk; the host stays on its release", async () => {
    const served = servedReleases(guest, "shop");
    const withHost = (address: string) => {
      const copy = copyStack(dir, "shop");
      const path = join(copy, "cairn.yaml");
      writeFileSync(path, readFileSync(path, "utf8").replace(/hosts: \[.*\]/, `hosts: [${address}]`));
      return copy;
    };
    const unreachable = await cairn(["deploy", withHost(`root@${NET}.99`)], { API_TOKEN: SECRET }, known);
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(/cannot reach root@10\.231\.61\.99 \(ssh: ".*(No route to host|timed out).*"\)/);

    guest.ssh(
      "echo 'ID=fedora' > /etc/os-release.cairn-test && mv /etc/os-release /etc/os-release.real && cp /etc/os-release.cairn-test /etc/os-release && echo 'PRETTY_NAME=\"Fedora Linux 40\"' >> /etc/os-release",
    );
    const fedora = await cairn(["deploy", dir], { API_TOKEN: SECRET }, known);
    guest.ssh("rm -f /etc/os-release && mv /etc/os-release.real /etc/os-release");
    expect(fedora.code).toBe(1);
    expect(fedora.err).toContain("runs Fedora Linux 40; cairn deploy supports Debian (12 or later) and Ubuntu (22.04 or later)");

    guest.ssh(
      "id plain >/dev/null 2>&1 || useradd -m plain; install -d -m 700 -o plain -g plain /home/plain/.ssh; install -m 600 -o plain -g plain /root/.ssh/authorized_keys /home/plain/.ssh/",
    );
    const plain = await cairn(["deploy", withHost(`plain@${guest.address}`)], { API_TOKEN: SECRET }, known);
    expect(plain.code).toBe(1);
    expect(plain.err).toContain("plain is not root and cannot use sudo without a password");

    // A full disk where releases go: a tiny file system over the releases, holding the ones there.
    guest.ssh(
      "mkdir -p /mnt/full && mount -t tmpfs -o size=$(( $(du -sk /opt/shop/releases | cut -f1) + 64 ))k tmpfs /mnt/full && cp -a /opt/shop/releases/. /mnt/full/ && mount --bind /mnt/full /opt/shop/releases",
    );
    writeFileSync(join(dir, "filler.bin"), Buffer.alloc(512 * 1024, 7));
    const full = await cairn(["deploy", dir], { API_TOKEN: SECRET }, known);
    rmSync(join(dir, "filler.bin"));
    guest.ssh("umount /opt/shop/releases && umount /mnt/full");
    expect(full.code).toBe(1);
    expect(full.err).toContain("is the disk full?");
    expect(servedReleases(guest, "shop")).toEqual(served);
    expect(guest.ssh("ls /var/lib/cairn/shop | grep -c '^lock$' || true").trim()).toBe("0");

    // A changed host key: refused, with how to fix it.
    guest.ssh("rm -f /etc/ssh/ssh_host_* && ssh-keygen -A >/dev/null && systemctl restart ssh");
    const changed = await cairn(["deploy", dir], { API_TOKEN: SECRET }, known);
    expect(changed.code).toBe(1);
    expect(changed.err).toContain("changed since it was recorded");
    expect(changed.err).toContain(`ssh-keygen -R ${guest.address}`);
    execFileSync("ssh-keygen", ["-R", guest.address, "-f", known], { stdio: "ignore" });
    expect(servedReleases(guest, "shop")).toEqual(served);
  }, 600_000);

  it("9. a secret's value is nowhere on the host outside the root-only files, nor in any output or log", async () => {
    expect(lastRun.out).toContain('"ok": true');
    expect(`${lastRun.out}${lastRun.err}`).not.toContain(SECRET);
    expect(await (await fetch(`http://${guest.address}/`)).json()).toMatchObject({ secret: true });
    const found = guest
      .ssh(`grep -rlsF --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev --exclude-dir=run ${SECRET} / || true`)
      .split("\n")
      .filter(Boolean)
      .sort();
    expect(found).toEqual(["/etc/shop/env/web.env", "/etc/shop/shop.env"]);
    for (const file of found) expect(guest.ssh(`stat -c '%a %U' ${file}`).trim()).toBe("600 root");
    expect(guest.ssh(`journalctl --no-pager -o cat | grep -cF ${SECRET} || true`).trim()).toBe("0");
    const readable = guest.ssh(`find / -xdev -type f -perm -o+r -size -2M 2>/dev/null | xargs -r grep -lsF ${SECRET} || true`).trim();
    expect(readable).toBe("");
  }, 600_000);

  it("3. a job's timer at 02:00 with Persistent=true, and cairn run --remote running it on the host", async () => {
    const timers = guest.ssh("systemctl list-timers --all --no-legend shop-report.timer");
    expect(timers).toContain("shop-report.timer");
    expect(guest.ssh("systemctl cat shop-report.timer")).toContain("Persistent=true");
    expect(guest.ssh("systemctl show -p TimersCalendar --value shop-report.timer")).toContain("02:00:00");
    const run = await cairn(["run", "report", "-s", dir, "--remote"], {}, known);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain("report ran");
    const ps = await cairn(["ps", dir, "--remote", "--json"], {}, known);
    expect(ps.code, ps.err).toBe(0);
    expect(JSON.parse(ps.out).units.filter((u: { state: string }) => u.state === "active").length).toBeGreaterThanOrEqual(3);
    const logs = await cairn(["logs", "web", "-s", dir, "--remote"], {}, known);
    expect(logs.code, logs.err).toBe(0);
    expect(logs.out).toContain("web v1 on");
  }, 300_000);

  it("10. after a guest reboot, units, timers and the firewall come back", async () => {
    await guest.reboot();
    await until(async () => (await fetch(`http://${guest.address}/`).catch(() => null))?.status === 200, 60_000, "the service after a reboot");
    expect(guest.ssh("systemctl is-active shop-report.timer").trim()).toBe("active");
    expect(guest.ssh("ufw status").split("\n")[0]).toBe("Status: active");
    expect(guest.ssh("systemctl list-units --no-legend --state=active 'shop-web@*' | wc -l").trim()).toBe("2");
  }, 300_000);

  it("8. the SSH link lost during the switch: the host ends on one whole release, and the next deploy recovers", async () => {
    writeFileSync(join(dir, "VERSION"), "v4\n");
    const table = "cairn_e2e_cut";
    const cut = () =>
      execFileSync("nft", ["-f", "-"], {
        input: `table ip ${table} {\n chain out { type filter hook output priority 0; ip daddr ${guest.address} tcp dport 22 drop; }\n}\n`,
      });
    const heal = () => execFileSync("nft", ["delete", "table", "ip", table]);
    let switched = false;
    const deploying = cairn(["deploy", dir], { API_TOKEN: SECRET }, known);
    await until(
      () => {
        switched = guest.trySsh("systemctl is-active --quiet cairn-shop-switch.service").status === 0;
        return switched;
      },
      120_000,
      "the switch to start",
    );
    cut();
    try {
      await until(() => guest.trySsh("true").status !== 0, 10_000, "the link to drop").catch(() => {});
      await new Promise((r) => setTimeout(r, 12_000));
    } finally {
      heal();
    }
    await deploying;
    await until(() => guest.trySsh("systemctl is-active --quiet cairn-shop-switch.service").status !== 0, 120_000, "the switch to end");
    const served = servedReleases(guest, "shop");
    expect(new Set(served.replicas).size).toBe(1);
    expect(served.replicas[0]).toBe(served.current);
    const next = await cairn(["deploy", dir], { API_TOKEN: SECRET }, known);
    expect(next.code, next.err).toBe(0);
    expect(await (await fetch(`http://${guest.address}/`)).json()).toMatchObject({ version: "v4" });
  }, 600_000);

  it("7. two hosts, rolled one after the other", async () => {
    const second = host("e2e-second", NET2, snapshot);
    await second.start();
    const both = shop([guest, second], "v5", `[${NET}.1/32, ${NET2}.1/32]`);
    const run = await cairn(["deploy", both], { API_TOKEN: SECRET }, known);
    expect(run.code, run.err).toBe(0);
    const firstDone = run.out.indexOf(`root@${guest.address}: done`) >= 0 ? run.out.indexOf("done:") : -1;
    const secondStart = run.out.indexOf(`root@${second.address}: connecting`);
    expect(firstDone).toBeGreaterThanOrEqual(0);
    expect(secondStart).toBeGreaterThan(firstDone);
    for (const h of [guest, second]) expect(await (await fetch(`http://${h.address}/`)).json()).toMatchObject({ version: "v5" });
    await second.close();
  }, 600_000);

  it("11. TLS with a certificate of one's own: a valid one and an expired one are served as given", async () => {
    const certs = mkdtempSync(join(tmpdir(), "cairn-e2e-tls-"));
    writeFileSync(join(certs, "san.ext"), `subjectAltName=IP:${guest.address}\n`);
    // openssl x509 -days -1 makes a certificate whose validity ended a day ago.
    const make = (name: string, days: string) => {
      const base = join(certs, name);
      const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
      execFileSync("openssl", ["req", ...ec, "-subj", `/CN=${guest.address}`, "-keyout", `${base}.key`, "-out", `${base}.csr`], { stdio: "ignore" });
      execFileSync(
        "openssl",
        ["x509", "-req", "-in", `${base}.csr`, "-signkey", `${base}.key`, "-days", days, "-extfile", join(certs, "san.ext"), "-out", `${base}.pem`],
        {
          stdio: "ignore",
        },
      );
    };
    make("valid", "30");
    make("expired", "-1");
    const served = async (): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = tlsConnect({ host: guest.address, port: 443, rejectUnauthorized: false }, () => {
          resolve(socket.getPeerCertificate().valid_to);
          socket.end();
        });
        socket.once("error", reject);
      });
    for (const name of ["valid", "expired"]) {
      const yaml = readFileSync(join(dir, "cairn.yaml"), "utf8").replace(/^ {2}tls: .*\n/m, "");
      writeFileSync(
        join(dir, "cairn.yaml"),
        yaml.replace(/^edge:\n/m, `edge:\n  tls: { cert: ${join(certs, `${name}.pem`)}, key: ${join(certs, `${name}.key`)} }\n`),
      );
      // The deploy ends with verify, which trusts the certificate given as a CA: the valid one passes,
      // the expired one fails the deploy (exit 1) and names it; the release stays served either way.
      const run = await cairn(["deploy", dir, "--ca", join(certs, `${name}.pem`)], { API_TOKEN: SECRET }, known);
      if (name === "valid") expect(run.code, `${run.err}${run.out}`).toBe(0);
      else {
        expect(run.code).toBe(1);
        expect(run.err).toContain("cairn verify failed");
        expect(run.err).toMatch(/tls https:\/\/\S+/);
      }
      const validTo = new Date(await served());
      if (name === "valid") expect(validTo.getTime()).toBeGreaterThan(Date.now() + 20 * 86_400_000);
      else expect(validTo.getTime()).toBeLessThan(Date.now());
      const https = await new Promise<number>((resolve) => {
        const socket = tlsConnect({ host: guest.address, port: 443, rejectUnauthorized: false }, () => {
          socket.write(`GET / HTTP/1.1\r\nHost: ${guest.address}\r\nConnection: close\r\n\r\n`);
        });
        let text = "";
        socket.on("data", (c) => (text += c));
        socket.on("end", () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0)));
      });
      expect(https).toBe(200);
    }
    expect(guest.ssh("stat -c '%a' /etc/shop/tls/privkey.pem").trim()).toBe("600");
  }, 600_000);
});
