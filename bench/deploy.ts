/**
 * `cairn deploy` on a real Debian host booted for the bench (test/testhost; root needed):
 *   npx tsx bench/deploy.ts
 * Figures, with the machine's load beside them:
 *   first    first deploy of the shop fixture (2 replicas behind nginx) to a fresh host, apt split out;
 *   update   a new release of the 2-replica service (health interval 1 s, healthy after 2, dependencies
 *            unchanged), verify included, under a bounded load of 20 connections: time and failed requests;
 *   rollback `cairn rollback` under the same load: time and failed requests;
 *   verify   the check a deploy ends with (`cairn verify` of its hosts) alone;
 *   peer     what the seeds' teams did by hand, on the same host and load: copy the code in place and
 *            `systemctl restart` the replicas (time and failed requests). Ratios are cairn / peer.
 * Targets (issue 11): update <= 15 s with verify, rollback <= 10 s, 0 failed requests, verify <= 2 s.
 */
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { verifyDeployed } from "../src/deploy/deploy.js";
import { loadStack } from "../src/load/load.js";
import type { Stack } from "../src/model/types.js";
import { cairn, copyStack, FIXTURES, fill, knownHostsFile } from "../test/deploy/helpers.js";
import { startLoad } from "../test/deploy/load.js";
import { ensureBase, TestHost } from "../test/testhost/host.js";

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const base = ensureBase((line) => console.log(line));
if (base.builtMs !== null) console.log(`base rootfs built in ${s(base.builtMs)} (load ${load()})`);
// A cold apt: the first deploy downloads its packages as a fresh machine would.
const host = new TestHost({ name: "bench-deploy", net: "10.231.70", aptCache: false });
const known = knownHostsFile();
try {
  const bootMs = await host.start();
  console.log(`host booted in ${s(bootMs)}`);
  const dir = copyStack(join(FIXTURES, "shop"), "shop");
  fill(dir, { ADMIN: `${host.gateway}/32`, HOSTS: `root@${host.address}`, KEY: host.key });
  writeFileSync(join(dir, "VERSION"), "v1\n");
  const env = { API_TOKEN: "bench-token" };

  const first = await cairn(["deploy", dir, "--json"], env, known);
  if (first.code !== 0) throw new Error(first.err);
  const report = JSON.parse(first.out);
  const t = report.hosts[0].timings;
  console.log(`first deploy      ${s(first.ms)} (apt ${s(t.aptMs ?? 0)}, provision ${s(t.provisionMs)}, switch ${s(t.switchMs)})   load ${load()}`);

  const underLoad = async (what: string, work: () => Promise<{ ms: number; ok: boolean }>) => {
    const traffic = startLoad(`http://${host.address}/`, { connections: 20, maxMs: 300_000 });
    while (traffic.counts.ok < 20) await new Promise((r) => setTimeout(r, 50));
    const r = await work();
    const result = await traffic.stop();
    if (!r.ok) throw new Error(`${what} failed`);
    return { ms: r.ms, requests: result.ok + result.failed, failed: result.failed };
  };

  const updates: { ms: number; requests: number; failed: number }[] = [];
  for (const version of ["v2", "v3", "v4"]) {
    writeFileSync(join(dir, "VERSION"), `${version}\n`);
    updates.push(
      await underLoad("update", async () => {
        const r = await cairn(["deploy", dir], env, known);
        return { ms: r.ms, ok: r.code === 0 };
      }),
    );
  }
  const rollback = await underLoad("rollback", async () => {
    const r = await cairn(["rollback", "-s", dir], {}, known);
    return { ms: r.ms, ok: r.code === 0 };
  });
  const analysis = await loadStack(join(dir, "cairn.yaml"), dir, { env: "prod", lint: false });
  const stack = analysis.stacks.get("prod") as Stack;
  const verifies: number[] = [];
  for (let i = 0; i < 5; i++)
    verifies.push((await verifyDeployed(stack, stack.environment.hosts, { env: { CAIRN_KNOWN_HOSTS: known }, now: () => new Date() })).ms);

  // The peer: the code copied in place and the replicas restarted, as the reference teams did by hand.
  const peer = await underLoad("peer", async () => {
    const started = Date.now();
    host.ssh(
      "cd /opt/shop/current && echo peer > VERSION && systemctl restart $(for f in /var/lib/cairn/shop/active/*; do read -r i p < $f; echo $p@$i.service; done)",
    );
    for (;;) {
      const r = await fetch(`http://${host.address}/`).catch(() => null);
      if (r?.status === 200 && ((await r.json()) as { version: string }).version === "peer") break;
      await new Promise((res) => setTimeout(res, 50));
    }
    return { ms: Date.now() - started, ok: true };
  });

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const update = median(updates.map((u) => u.ms));
  console.log(`update (median/3) ${s(update)}, failed ${updates.map((u) => `${u.failed}/${u.requests}`).join(", ")}   load ${load()}`);
  console.log(`rollback          ${s(rollback.ms)}, failed ${rollback.failed}/${rollback.requests}`);
  console.log(`verify (median/5) ${median(verifies)} ms`);
  console.log(`peer restart      ${s(peer.ms)}, failed ${peer.failed}/${peer.requests}`);
  console.log(`ratio update/peer ${(update / peer.ms).toFixed(1)}x, failed requests ${updates.reduce((n, u) => n + u.failed, 0)} vs ${peer.failed}`);
} finally {
  await host.close();
}
