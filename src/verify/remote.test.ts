/**
 * The SSH part as data: the script is valid POSIX shell (sh -n, shellcheck) with every value quoted,
 * and a real Debian 12 host's answer (systemd 252, captured in fixtures/) reads into verdicts.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planVm } from "../targets/vm/plan.js";
import { stackFrom } from "../test-support/index.js";
import { judgeRemote, parseSystemdTime } from "./judge-remote.js";
import { remoteExpectations } from "./plan-remote.js";
import { parseAnswer, remoteScript, shellQuote } from "./remote-script.js";
import type { RemoteExpectations } from "./types.js";

const answer = readFileSync(new URL("./fixtures/debian12-answer.txt", import.meta.url), "utf8");
/** What the fixture was answered to (two replicas expected, one of them stopped and disabled before the capture). */
const expected: RemoteExpectations = {
  services: [
    { name: "api", pattern: "demo-api@*.service", replicas: 2 },
    { name: "gone", pattern: "demo-gone@*.service", replicas: 1 },
  ],
  timers: [
    { name: "demo-proc", unit: "demo-proc.timer" },
    { name: "demo-none", unit: "demo-none.timer" },
  ],
  health: [
    { service: "api", ports: [5001, 5002], path: "/", status: [200, 399] },
    { service: "api", ports: [5009], path: "/x", status: [200, 399] },
  ],
  disks: ["/", "/opt/demo", "/var/lib/demo"],
};
const host = { source: "root@10.0.0.2", user: "root", host: "10.0.0.2", port: 22 };

describe("the script run on a host", () => {
  it("is POSIX shell that shellcheck passes, with hostile values quoted", () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-verify-sh-"));
    try {
      const hostile: RemoteExpectations = {
        ...expected,
        services: [{ name: "x", pattern: "a'b$(touch /tmp/x)`id`@*.service", replicas: 1 }],
        disks: ["/opt/it's; rm -rf /"],
      };
      const file = join(dir, "script.sh");
      writeFileSync(file, remoteScript(hostile));
      expect(spawnSync("sh", ["-n", file]).status).toBe(0);
      // Warnings and errors only: its notes on `$(...)` staying literal in single quotes are the point here.
      const check = spawnSync("shellcheck", ["-s", "sh", "--severity=warning", file], { encoding: "utf8" });
      expect(check.stdout).toBe("");
      expect(check.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("quotes any string so that the shell gives it back as it is", () => {
    // One shell for every sample: each value printed, then a NUL (which no value holds).
    const unit = fc.oneof(fc.constantFrom(..."'\"$`\\ \n\t*?![]{}();&|<>#~%=-é"), fc.string({ unit: "grapheme", maxLength: 1 }));
    const values = fc.sample(fc.string({ unit, maxLength: 40 }), { numRuns: 300, seed: 11 });
    const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join("\n");
    const out = execFileSync("sh", ["-c", script]).toString().split("\0").slice(0, -1);
    expect(out).toEqual(values.map((v) => Buffer.from(v).toString()));
  });

  it("expects the vm build's units and timers: a template unit per service, the jobs' timers", () => {
    const stack = stackFrom(`
name: shop
services:
  web: { run: node web.mjs, port: 3000, replicas: 2 }
  worker: { run: node worker.mjs }
jobs:
  nightly: { run: node job.mjs, schedule: "daily at 02:00" }
  manual: { run: node once.mjs }
environments:
  mvp: { target: vm }
`);
    const remote = remoteExpectations(planVm(stack), []);
    expect(remote.services).toEqual([
      { name: "web", pattern: "shop-web@*.service", replicas: 2 },
      { name: "worker", pattern: "shop-worker@*.service", replicas: 1 },
    ]);
    expect(remote.timers).toEqual([{ name: "shop-nightly", unit: "shop-nightly.timer" }]);
    expect(remote.disks).toEqual(["/", "/opt/shop", "/var/lib/shop"]);
  });
});

describe("a host's answer", () => {
  const now = new Date("2026-12-06T18:00:00Z");

  it("reads a real Debian 12 answer into verdicts", () => {
    const results = judgeRemote(host, expected, { code: 0, stdout: answer, stderr: "" }, parseAnswer(answer), now);
    expect(results.map((r) => [r.kind, r.status, r.target, r.detail])).toEqual([
      ["unit", "fail", "10.0.0.2 demo-api@*.service", "1 of 2 replicas active"],
      ["unit", "fail", "10.0.0.2 demo-gone@*.service", "0 of 1 replicas active"],
      ["timer", "pass", "10.0.0.2 demo-proc.timer", "next run 2026-12-07 01:00 UTC (in 7 h)"],
      ["timer", "fail", "10.0.0.2 demo-none.timer", "not installed"],
      ["health", "pass", "10.0.0.2 127.0.0.1:5001/", "200 on the host"],
      ["health", "fail", "10.0.0.2 127.0.0.1:5009/x", "no answer on the host"],
      ["disk", "pass", "10.0.0.2 /", "78.3 GB free of 270.6 GB (29%)"],
    ]);
  });

  it("a replica's health on the port it serves from after a deploy: its own, or its spare one", () => {
    const stack = stackFrom(`
name: shop
services: { web: { run: node web.mjs, port: 3000, health: /up }, admin: { run: node admin.mjs, port: 3100, health: /ready, replicas: 2 } }
routes: [{ path: /, to: web }]
environments: { mvp: { target: vm } }
`);
    const plan = planVm(stack);
    const remote = remoteExpectations(plan, [{ service: "admin", path: "/ready", status: [200, 399] }]);
    const spare = plan.replicas.filter((r) => r.service === "admin").map((r) => r.sparePort);
    expect(remote.health).toEqual([
      { service: "admin", ports: [3100, spare[0]], path: "/ready", status: [200, 399] },
      { service: "admin", ports: [3101, spare[1]], path: "/ready", status: [200, 399] },
    ]);
    const script = remoteScript(remote);
    for (const port of [3100, 3101, ...spare]) expect(script).toContain(`http://127.0.0.1:${port}/ready`);
    // The first replica moved to its spare port with the last deploy; the second is still on its own.
    const text = [
      "@@cairn-verify:services",
      "@@cairn-verify:timers",
      "@@cairn-verify:disk",
      "@@cairn-verify:health",
      "3100 000",
      `${spare[0]} 200`,
      "3101 200",
      `${spare[1]} 000`,
    ].join("\n");
    const results = judgeRemote(host, remote, { code: 0, stdout: text, stderr: "" }, parseAnswer(text), now).filter((r) => r.kind === "health");
    expect(results.map((r) => [r.status, r.target])).toEqual([
      ["pass", `10.0.0.2 127.0.0.1:${spare[0]}/ready`],
      ["pass", "10.0.0.2 127.0.0.1:3101/ready"],
    ]);
    const down = text.replace(`${spare[0]} 200`, `${spare[0]} 503`);
    expect(judgeRemote(host, remote, { code: 0, stdout: down, stderr: "" }, parseAnswer(down), now).find((r) => r.kind === "health")).toMatchObject({
      status: "fail",
      detail: "503 on the host",
    });
  });

  it("fails a disabled replica and a full disk; warns on a low one", () => {
    const text = [
      "@@cairn-verify:services",
      "Id=shop-web@3000.service",
      "ActiveState=active",
      "UnitFileState=disabled",
      "",
      "@@cairn-verify:timers",
      "@@cairn-verify:disk",
      "Filesystem 1024-blocks Used Available Capacity Mounted on",
      "/dev/vda1 1000000 980000 20000 98% /",
      "/dev/vdb1 1000000 900000 100000 90% /var/lib/my data",
    ].join("\n");
    const remote = { ...expected, services: [{ name: "web", pattern: "shop-web@*.service", replicas: 1 }], timers: [], health: [] };
    const results = judgeRemote(host, remote, { code: 0, stdout: text, stderr: "" }, parseAnswer(text), now);
    expect(results.map((r) => [r.status, r.detail])).toEqual([
      ["fail", "not enabled (would not start at boot): shop-web@3000.service"],
      ["fail", "0.0 GB free of 1.0 GB (2%): free some space"],
      ["warn", "0.1 GB free of 1.0 GB (10%): free some space"],
    ]);
    expect(results[2]?.target).toBe("10.0.0.2 /var/lib/my data");
  });

  it("passes a replica switched to its spare port while its old instance, stopped and disabled, is still loaded", () => {
    const text = [
      "@@cairn-verify:services",
      "Id=shop-web@3000.service",
      "ActiveState=failed",
      "UnitFileState=disabled",
      "",
      "Id=shop-web@3002.service",
      "ActiveState=active",
      "UnitFileState=enabled",
      "",
      "@@cairn-verify:timers",
      "@@cairn-verify:disk",
    ].join("\n");
    const remote = { ...expected, services: [{ name: "web", pattern: "shop-web@*.service", replicas: 1 }], timers: [], health: [] };
    const [unit] = judgeRemote(host, remote, { code: 0, stdout: text, stderr: "" }, parseAnswer(text), now);
    expect([unit?.status, unit?.detail]).toEqual(["pass", "1 of 1 replica active, enabled"]);
  });

  it("says what systemctl said when the host has no systemd to ask", () => {
    const text = [
      "@@cairn-verify:services",
      "System has not been booted with systemd as init system (PID 1). Can't operate.",
      "Failed to connect to bus: Host is down",
      "@@cairn-verify:timers",
      "@@cairn-verify:disk",
    ].join("\n");
    const results = judgeRemote(host, { ...expected, health: [] }, { code: 0, stdout: text, stderr: "" }, parseAnswer(text), now);
    expect(results.map((r) => [r.kind, r.status, r.detail])).toEqual([
      ["unit", "fail", "systemctl: System has not been booted with systemd as init system (PID 1). Can't operate. Failed to connect to bus: Host is down"],
      ["disk", "fail", "df gave no answer"],
    ]);
  });

  it("gives ssh's own last words when the script could not run", () => {
    const run = { code: 255, stdout: "", stderr: "Warning: something\nssh: connect to host 10.0.0.2 port 22: Connection refused" };
    expect(judgeRemote(host, expected, run, parseAnswer(""), now)).toEqual([
      { kind: "ssh", target: "root@10.0.0.2", service: null, status: "fail", detail: "ssh: connect to host 10.0.0.2 port 22: Connection refused", ms: null },
    ]);
  });

  it("never throws on any answer, and reads only what it recognizes", () => {
    const line = fc.oneof(
      fc.constantFrom("@@cairn-verify:services", "@@cairn-verify:timers", "@@cairn-verify:disk", "@@cairn-verify:health", "", "Id=x.timer", "5001 200"),
      fc.string({ maxLength: 60 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const parsed = parseAnswer(lines.join("\n"));
        judgeRemote(host, expected, { code: 0, stdout: `@@cairn-verify:\n${lines.join("\n")}`, stderr: "" }, parsed, now);
        for (const disk of parsed.disks) expect(Number.isFinite(disk.sizeKb)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("reads systemd's UTC time stamps, and nothing else", () => {
    expect(parseSystemdTime("Mon 2026-12-07 01:00:00 UTC")?.toISOString()).toBe("2026-12-07T01:00:00.000Z");
    expect(parseSystemdTime("Mon 2026-12-07 01:00:00 CET")).toBeNull();
    expect(parseSystemdTime("")).toBeNull();
    expect(parseSystemdTime(undefined)).toBeNull();
  });
});
