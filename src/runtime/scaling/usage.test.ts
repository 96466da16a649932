import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { waitFor } from "../../test-support/wait.js";
import { readGroups } from "../supervisor/proc-stats.js";
import { UsageSampler } from "./usage.js";

const service = stackFrom(`name: t
services:
  web: { run: node app.js, port: 3000, size: { cpu: 0.5, memory: 256Mi }, scale: { min: 1, max: 3, cpu: 50% } }
`).services[0];

describe("UsageSampler", () => {
  it("averages the ready replicas' use over the interval, in percent of what each reserves", () => {
    if (!service) throw new Error("no service");
    const readings = [
      {
        at: 100,
        groups: new Map([
          [11, { cpuSeconds: 5, memoryBytes: 64 * 1024 ** 2 }],
          [12, { cpuSeconds: 1, memoryBytes: 128 * 1024 ** 2 }],
        ]),
      },
      // Over 2 s: replica 11 used 0.5 s (25% of a core, 50% of its 0.5 vCPU), replica 12 used 1 s.
      {
        at: 102,
        groups: new Map([
          [11, { cpuSeconds: 5.5, memoryBytes: 64 * 1024 ** 2 }],
          [12, { cpuSeconds: 2, memoryBytes: 128 * 1024 ** 2 }],
          [13, { cpuSeconds: 9, memoryBytes: 1 }],
        ]),
      },
    ];
    const sampler = new UsageSampler(() => readings.shift() ?? { at: 0, groups: new Map() });
    const replicas = [
      { id: "web.1", pid: 11, ready: true },
      { id: "web.2", pid: 12, ready: true },
      { id: "web.3", pid: 13, ready: false },
    ];
    const first = sampler.sample([{ service, replicas }]).get("web");
    expect(first).toMatchObject({ count: 3, cpu: null, memory: 37.5 });
    const second = sampler.sample([{ service, replicas }]).get("web");
    expect(second).toEqual({
      service: "web",
      count: 3,
      cpu: 75,
      memory: 37.5,
      replicas: [
        { id: "web.1", cpu: 25, memoryBytes: 64 * 1024 ** 2 },
        { id: "web.2", cpu: 50, memoryBytes: 128 * 1024 ** 2 },
        { id: "web.3", cpu: null, memoryBytes: 1 },
      ],
    });
  });

  it("reads a real process group's CPU time and memory from /proc", async () => {
    const child = spawn(process.execPath, ["-e", "const end = Date.now() + 300; while (Date.now() < end); setTimeout(() => {}, 10000)"], {
      detached: true,
      stdio: "ignore",
    });
    try {
      const pid = child.pid ?? 0;
      const usage = await waitFor(
        () => {
          const g = readGroups(new Set([pid])).groups.get(pid);
          return g && g.cpuSeconds >= 0.2 ? g : null;
        },
        10_000,
        "the child to use CPU",
      );
      expect(usage?.memoryBytes).toBeGreaterThan(1024 ** 2);
      expect(readGroups(new Set()).groups.size).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
