/**
 * The pure parts of `cairn deploy` and its files: the agent and every script of a release pass
 * `bash -n` and shellcheck; release ids, the firewall lockout check, what is packed, secrets, the
 * per-host stack, the gap notes, release listings, and ssh's words turned into advice.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stackForHost } from "../targets/vm/host-stack.js";
import { planVm } from "../targets/vm/plan.js";
import { exampleStack, stackFrom } from "../test-support/index.js";
import { agentScript } from "./agent.js";
import { gapNotes, releaseId, releasePackages } from "./deploy.js";
import { handOffPlan } from "./hand-off.js";
import { cidrContains, lockout } from "./lockout.js";
import { neverShipped, releaseFileList } from "./pack.js";
import { manifest, metaValue, releaseFiles } from "./release-files.js";
import { parseReleases, previousRelease } from "./releases.js";
import { collectSecrets } from "./secrets.js";
import { explainSsh } from "./ssh.js";

const SHOP = `
name: shop
services:
  web: { run: node web.mjs, port: 3000, replicas: 2, health: { path: /health, interval: 1s, healthy: 2 }, env: { TOKEN: "\${secret.TOKEN}" } }
  worker: { run: node worker.mjs }
jobs:
  report: { run: node report.mjs, schedule: "0 2 * * *", timeout: 5m }
resources:
  db: { type: postgres, extensions: [postgis], backups: 7d }
secrets: { TOKEN: a token }
routes: [{ path: /, to: web }]
edge: { open: [{ port: 22, from: 203.0.113.7/32 }] }
environments:
  prod:
    target: vm
    hosts: [root@10.0.0.1, { address: root@10.0.0.2, services: [web] }]
    deploy: { before: [node migrate.mjs] }
`;

function lint(name: string, text: string): void {
  const dir = mkdtempSync(join(tmpdir(), "cairn-deploy-sh-"));
  const path = join(dir, name);
  writeFileSync(path, text);
  const syntax = spawnSync("bash", ["-n", path], { encoding: "utf8" });
  expect(syntax.stderr, name).toBe("");
  const check = spawnSync("shellcheck", ["--shell=bash", "--severity=warning", path], { encoding: "utf8" });
  expect(check.stdout, name).toBe("");
  expect(check.status, name).toBe(0);
}

describe("the host scripts", () => {
  it("the agent and every script of a release pass bash -n and shellcheck", async () => {
    for (const stack of [stackFrom(SHOP, "prod"), await exampleStack("forestguard", "mvp"), await exampleStack("cityflow", "mvp")]) {
      const plan = planVm(stack);
      lint("agent", agentScript(plan.layout));
      const files = releaseFiles(plan, { id: "20261206-120000-abc1234", sha: "abc1234", by: "me@here", at: "2026-12-06T12:00:00Z" }, ["curl"]);
      for (const f of files.filter((x) => x.path.endsWith(".sh"))) lint(f.path, f.content);
    }
  });

  it("the switch's status is replaced whole: a reader polling it never reads it empty", () => {
    const script = agentScript(planVm(stackFrom(SHOP, "prod")).layout);
    // Every write goes through set_status (a temporary file renamed over the old one).
    const writes = script.split("\n").filter((line) => />\s*"\$STATE\/switch\.status"/.test(line));
    expect(writes).toEqual([]);
    const setStatus = script.split("\n").find((line) => line.startsWith("set_status()"));
    expect(setStatus).toBeDefined();
    // The real function, run by bash against a reader polling the file as `agent status` does.
    const dir = mkdtempSync(join(tmpdir(), "cairn-status-"));
    const race = [
      `STATE=${dir}`,
      setStatus,
      "set_status running",
      'for i in $(seq 1 3000); do set_status "running"; done &',
      "empty=0",
      'for i in $(seq 1 3000); do st=$(cat "$STATE/switch.status"); [ -n "$st" ] || empty=$((empty + 1)); done',
      "wait",
      'echo "$empty"',
    ].join("\n");
    const run = spawnSync("bash", ["-c", race], { encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("0");
  });

  it("the manifest lists each replica with its two ports, and nothing else runs in it", () => {
    const text = manifest(planVm(stackFrom(SHOP, "prod")));
    expect(text).toContain("'web|0|shop-web|3000|3002|proxy|/health|1|2'");
    expect(text).toContain("'web|1|shop-web|3001|3003|proxy|/health|1|2'");
    expect(text).toContain("'worker|0|shop-worker|||inplace||1|1'");
    expect(text).toContain("M_TIMERS=(shop-report.timer shop-backup-db.timer)");
    expect(text).toContain("M_PARAMS[web]=' max_fails=3 fail_timeout=1s'");
    lint("manifest.sh", `#!/bin/bash\n${text}`);
  });

  it("release metadata keeps only plain characters", () => {
    expect(metaValue("alice@laptop")).toBe("alice@laptop");
    expect(metaValue("$(rm -rf /)\n`x`")).toBe("__rm_-rf_____x_");
  });
});

describe("deploy decisions", () => {
  it("a release id is the UTC time and the git short sha", () => {
    expect(releaseId(new Date("2026-12-06T18:15:00.123Z"), "abc1234")).toBe("20261206-181500-abc1234");
    expect(releaseId(new Date("2026-12-06T18:15:00Z"), null)).toBe("20261206-181500");
    expect(releaseId(new Date("2026-12-06T18:15:00Z"), "not a sha")).toBe("20261206-181500");
  });

  it("a firewall that would shut out the deployer's address is found, IPv4 and IPv6", () => {
    const rules = planVm(stackFrom(SHOP, "prod")).firewall;
    expect(lockout(rules, "203.0.113.7", 22)).toBeNull();
    expect(lockout(rules, "10.231.61.1", 22)).toContain("from allow from 203.0.113.7/32, and Cairn connects from 10.231.61.1");
    expect(lockout(rules, "203.0.113.7", 2222)).toContain("no rule at all");
    expect(cidrContains("10.0.0.0/8", "10.9.8.7")).toBe(true);
    expect(cidrContains("10.0.0.0/8", "11.0.0.1")).toBe(false);
    expect(cidrContains("2001:db8::/32", "2001:db8:1::5")).toBe(true);
    expect(cidrContains("2001:db8::/32", "2001:db9::5")).toBe(false);
    expect(cidrContains("203.0.113.7", "::ffff:203.0.113.7")).toBe(true);
    expect(cidrContains("any", "198.51.100.1")).toBe(true);
  });

  it("each host runs its own services, the first host the jobs, and only routes to what it runs", () => {
    const stack = stackFrom(SHOP, "prod");
    const [first, second] = stack.environment.hosts;
    if (!first || !second) throw new Error("two hosts");
    expect(stackForHost(stack, first).services.map((s) => s.name)).toEqual(["web", "worker"]);
    expect(stackForHost(stack, first).jobs.map((j) => j.name)).toEqual(["report"]);
    const onSecond = stackForHost(stack, second);
    expect([onSecond.services.map((s) => s.name), onSecond.jobs.length, onSecond.routes.length]).toEqual([["web"], 0, 1]);
  });

  it("a service public on its own port is said to switch with a gap, with the change that avoids it", async () => {
    const notes = gapNotes(planVm(await exampleStack("mangetamain", "production")));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("services.dashboard is reached on its own port 8501 with no proxy in front");
    expect(notes[0]).toContain("routes: [{ path: /, to: dashboard }]");
    expect(gapNotes(planVm(stackFrom(SHOP, "prod")))).toEqual([]);
  });

  it("packages for a release's own files", () => {
    expect(releasePackages(["package-lock.json", "requirements.txt", "a.js"])).toEqual(["nodejs", "npm", "python3", "python3-venv"]);
    expect(releasePackages(["app/package-lock.json"])).toEqual([]);
  });
});

describe("what a release holds", () => {
  it("never .env, .cairn, .git, out, node_modules or .venv; .gitignore and .cairnignore honoured", () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-pack-"));
    for (const f of [
      "app.mjs",
      ".env",
      ".env.local",
      ".env.example",
      "secret.key",
      "notes/todo.md",
      "out/vm/x",
      ".cairn/state",
      "node_modules/a/i.js",
      "data/big.csv",
      "lib/x.js",
    ]) {
      mkdirSync(join(dir, f, ".."), { recursive: true });
      writeFileSync(join(dir, f), "x");
    }
    writeFileSync(join(dir, ".gitignore"), "*.key\n");
    writeFileSync(join(dir, ".cairnignore"), "data/\nnotes/\n");
    expect(releaseFileList(dir)).toEqual([".cairnignore", ".env.example", ".gitignore", "app.mjs", "lib/x.js"]);
    for (const p of [".env", "a/.env.production", ".git/config", "x/node_modules/y", "out/a"]) expect(neverShipped(p), p).toBe(true);
  });
});

describe("secrets for a deploy", () => {
  const keys = planVm(stackFrom(SHOP, "prod")).keys;

  it("come from the environment first, then .env; generated ones stay on the host", () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-secrets-"));
    writeFileSync(join(dir, ".env"), "TOKEN=from-dotenv\n");
    expect(collectSecrets(keys, dir, {}).file).toBe("TOKEN='from-dotenv'\n");
    expect(collectSecrets(keys, dir, { TOKEN: "it's env" }).file).toBe("TOKEN='it'\\''s env'\n");
    expect(collectSecrets(keys, dir, {}).file).not.toContain("POSTGRES_PASSWORD");
  });

  it("a missing one is named, a multi-line one refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-secrets-"));
    expect(collectSecrets(keys, dir, {}).missing.map((k) => k.name)).toEqual(["TOKEN"]);
    expect(collectSecrets(keys, dir, { TOKEN: "a\nb" }).multiline).toEqual(["TOKEN"]);
  });
});

describe("other answers", () => {
  it("releases listed by the agent, and the one before the current", () => {
    const lines = parseReleases("20261206-120000-abc\t-\tabc\tme@x\t2026-12-06T12:00:00Z\n20261206-110000\tcurrent\t-\t-\t-\n20261206-100000\t-\t-\t-\t-\n");
    expect(lines[1]).toEqual({ id: "20261206-110000", current: true, sha: null, by: null, at: null });
    expect(previousRelease(lines)).toBe("20261206-100000");
    expect(previousRelease(lines.slice(0, 2))).toBeNull();
  });

  it("ssh's words become advice: a changed key, an unknown key, a refused login, no route", () => {
    expect(explainSsh("@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\nHost key verification failed.", "root@10.0.0.1").hint).toContain(
      "ssh-keygen -R 10.0.0.1",
    );
    expect(
      explainSsh("No ED25519 host key is known for 10.0.0.1 and you have requested strict checking.\nHost key verification failed.", "root@10.0.0.1").hint,
    ).toContain("accept-new");
    expect(explainSsh("root@10.0.0.1: Permission denied (publickey).", "root@10.0.0.1").message).toContain("refused the login");
    expect(explainSsh("ssh: connect to host 10.0.0.1 port 22: No route to host", "root@10.0.0.1").message).toContain(
      '(ssh: "ssh: connect to host 10.0.0.1 port 22: No route to host")',
    );
  });

  it("compose, k8s and aws environments get their engine's exact commands", async () => {
    expect(handOffPlan(await exampleStack("harena", "ec2"), "/out").steps.map((s) => s.shown)).toEqual(["docker compose up -d --build"]);
    expect(handOffPlan(await exampleStack("forestguard", "production"), "/out").steps.map((s) => s.shown)).toEqual([
      "npm install",
      "npx cdk deploy --require-approval never",
    ]);
  });
});
