/**
 * One host's deploy: connect, refuse a firewall that would lock the deployer out, lock, upload the
 * release, provision, prepare its dependencies, run `before:`, start the switch and follow it to
 * its end. Before the switch a failure discards the release and leaves the host as it was; the
 * switch itself rolls back by itself.
 */

import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { writeFiles } from "../build/write.js";
import type { DeployHost, Stack } from "../model/types.js";
import type { GeneratedFile } from "../targets/types.js";
import type { VmPlan } from "../targets/vm/plan.js";
import { LOCKED } from "./agent.js";
import { type Connected, connect, DeployError } from "./connect.js";
import { lockout } from "./lockout.js";
import { packStream } from "./pack.js";
import type { Agent } from "./remote.js";

export interface HostTimings {
  connectMs: number;
  uploadMs: number;
  provisionMs: number;
  aptMs: number | null;
  prepareMs: number;
  beforeMs: number;
  switchMs: number;
}

export interface HostOutcome {
  readonly host: string;
  readonly ok: boolean;
  /** The switch's last word: `done: ...`, `rolled back: ...`, `failed: ...`, or why it never started. */
  readonly status: string;
  readonly timings: HostTimings;
  /** The switch's log lines. */
  readonly log: string;
}

export interface HostJob {
  readonly stack: Stack;
  readonly plan: VmPlan;
  readonly host: DeployHost;
  readonly release: string;
  readonly who: string;
  readonly appFiles: readonly string[];
  readonly buildFiles: readonly GeneratedFile[];
  readonly secretsFile: string;
  readonly runBefore: boolean;
  readonly forceUnlock: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly progress: (line: string) => void;
}

/** A tar.gz of a folder's content, as a stream. */
function tarOf(dir: string): NodeJS.ReadableStream {
  return spawn("tar", ["-czf", "-", "-C", dir, "."], { stdio: ["ignore", "pipe", "inherit"] }).stdout;
}

/** Takes the lock or says who holds it. */
export async function takeLock(agent: Agent, who: string, release: string, force: boolean): Promise<void> {
  if (force) await agent.must("unlocking", ["force-unlock"]);
  const r = await agent.call(["lock", who, release]);
  if (r.code === 0) return;
  if (r.code === LOCKED) {
    const get = (k: string) => new RegExp(`^${k}=(.*)$`, "m").exec(r.stdout)?.[1] ?? "?";
    throw new DeployError(
      `${agent.link.name} is locked by another deploy: ${get("BY")} since ${get("SINCE")} (release ${get("RELEASE")})`,
      "Wait for that deploy to end. If it crashed or lost its machine, `cairn deploy --force-unlock` takes the lock (never while a switch runs).",
    );
  }
  throw new DeployError(`could not lock ${agent.link.name}: ${`${r.stderr}${r.stdout}`.trim()}`);
}

/** Follows the switch until it ends; reconnects when the link drops, and says so when it cannot. */
export async function followSwitch(
  connected: { agent: Agent },
  reconnect: () => Promise<Agent>,
  progress: (line: string) => void,
  pollMs = 250,
): Promise<{ status: string; log: string }> {
  let agent = connected.agent;
  let offset = 0;
  let log = "";
  let failures = 0;
  for (;;) {
    const r = await agent.call(["status", String(offset)]);
    if (r.code !== 0) {
      failures++;
      progress(`  the link to ${agent.link.name} dropped; the host finishes the switch (or rolls back) by itself; reconnecting`);
      try {
        agent = await reconnect();
        continue;
      } catch (error) {
        if (failures >= 3)
          return { status: `link lost: ${(error as Error).message}; the host ends on one whole release by itself: \`cairn releases\` shows which`, log };
        await new Promise((resolve) => setTimeout(resolve, 2000));
        continue;
      }
    }
    const newline = r.stdout.indexOf("\n");
    const status = (newline < 0 ? r.stdout : r.stdout.slice(0, newline)).replace(/^STATUS /, "").trim();
    const chunk = newline < 0 ? "" : r.stdout.slice(newline + 1);
    const complete = chunk.slice(0, chunk.lastIndexOf("\n") + 1);
    offset += Buffer.byteLength(complete);
    log += complete;
    for (const line of complete.split("\n").filter(Boolean)) progress(`  ${line}`);
    if (status !== "running" && chunk === complete) return { status, log };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export async function deployHost(job: HostJob): Promise<HostOutcome> {
  const { stack, plan, host, release, progress } = job;
  const timings: HostTimings = { connectMs: 0, uploadMs: 0, provisionMs: 0, aptMs: null, prepareMs: 0, beforeMs: 0, switchMs: 0 };
  const started = Date.now();
  const lap = (key: keyof HostTimings, since: number) => {
    (timings as unknown as Record<string, number>)[key] = Date.now() - since;
  };
  progress(`${host.source}: connecting`);
  let connected: Connected = await connect(stack, plan.layout, host, job.env);
  lap("connectMs", started);
  try {
    const sshPort = host.port ?? stack.environment.ssh.port;
    const shut = lockout(plan.firewall, connected.facts.client, sshPort);
    if (shut)
      throw new DeployError(
        `${host.source}: ${shut}`,
        `Add ${connected.facts.client}/32 to the port ${sshPort} rule of edge.open (or deploy from an address it allows); the firewall was left as it is.`,
      );
    await takeLock(connected.agent, job.who, release, job.forceUnlock);
    const agent = connected.agent;
    try {
      let t = Date.now();
      progress(`${host.source}: uploading release ${release} (${job.appFiles.length} files)`);
      await agent.must("receiving the release", ["receive-app", release], packStream(stack.root, job.appFiles));
      const staging = mkdtempSync(join(tmpdir(), "cairn-release-"));
      try {
        await writeFiles(staging, job.buildFiles);
        rmSync(join(staging, ".cairn-build.json"), { force: true });
        await agent.must("receiving the release's build", ["receive-build", release], tarOf(staging));
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
      await agent.must("writing the secrets file", ["secrets"], job.secretsFile);
      if (plan.tls.kind === "files") await agent.must("installing the certificate", ["tls"], tlsTar(stack, plan.tls.cert, plan.tls.key));
      lap("uploadMs", t);
      t = Date.now();
      progress(`${host.source}: provisioning (packages, user, folders, data stores, firewall)`);
      const provision = await agent.must("provisioning", ["provision", release], null, (text) => {
        for (const line of text.split("\n").filter((l) => l.startsWith("apt: ") || l.startsWith("firewall: "))) progress(`  ${line}`);
      });
      const apt = /^APT_MS=(\d+)$/m.exec(provision.stdout)?.[1];
      timings.aptMs = apt === undefined ? null : Number(apt);
      lap("provisionMs", t);
      t = Date.now();
      progress(`${host.source}: preparing the release's dependencies`);
      await agent.must("installing the release's dependencies", ["prepare", release]);
      lap("prepareMs", t);
      if (job.runBefore && stack.environment.deploy.before.length) {
        t = Date.now();
        progress(`${host.source}: before the switch: ${stack.environment.deploy.before.length} command(s)`);
        await agent.must("the before: commands", ["before", release], null, (text) => progress(text.trimEnd()));
        lap("beforeMs", t);
      }
    } catch (error) {
      await agent.call(["discard", release]);
      await agent.call(["unlock"]);
      throw error;
    }
    const t = Date.now();
    progress(`${host.source}: switching, replica by replica`);
    await connected.agent.must("starting the switch", ["start-switch", release]);
    const result = await followSwitch(
      connected,
      async () => {
        await connected.link.close();
        connected = await connect(stack, plan.layout, host, job.env);
        return connected.agent;
      },
      progress,
    );
    lap("switchMs", t);
    return { host: host.source, ok: result.status.startsWith("done"), status: result.status, timings, log: result.log };
  } finally {
    await connected.link.close();
  }
}

/** The edge's own certificate and key as `fullchain.pem` and `privkey.pem`, in a tar stream. */
function tlsTar(stack: Stack, cert: string, key: string): NodeJS.ReadableStream {
  const dir = mkdtempSync(join(tmpdir(), "cairn-tls-"));
  copyFileSync(isAbsolute(cert) ? cert : resolve(stack.root, cert), join(dir, "fullchain.pem"));
  copyFileSync(isAbsolute(key) ? key : resolve(stack.root, key), join(dir, "privkey.pem"));
  const tar = spawn("tar", ["-cf", "-", "-C", dir, "fullchain.pem", "privkey.pem"], { stdio: ["ignore", "pipe", "inherit"] });
  tar.once("close", () => rmSync(dir, { recursive: true, force: true }));
  return tar.stdout;
}
