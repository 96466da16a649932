import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { waitFor } from "../../test-support/wait.js";
import { GroupMeter, type GroupUsage, readGroups } from "./proc-stats.js";

/** A process group using `cpu` seconds per second since boot second `start`, read at `clock.at`. */
function fakeGroups(clock: { at: number }, start = 100, cpu = 0.5) {
  return (pgids: ReadonlySet<number>) => {
    const groups = new Map<number, GroupUsage>();
    for (const pgid of pgids) if (pgid === 7) groups.set(pgid, { cpuSeconds: (clock.at - start) * cpu, memoryBytes: 4096, startSeconds: start });
    return { at: clock.at, groups };
  };
}

describe("process group meters", () => {
  it("give each reader CPU over its own interval, however often another reads", () => {
    const clock = { at: 110 };
    const ps = new GroupMeter(fakeGroups(clock));
    const metrics = new GroupMeter(fakeGroups(clock));
    expect(ps.read(new Set([7])).get(7)).toEqual({ cpu: 50, memoryBytes: 4096 });
    for (let i = 0; i < 10; i++) {
      clock.at += 0.5;
      metrics.read(new Set([7]));
    }
    expect(ps.read(new Set([7])).get(7)?.cpu).toBe(50);
    expect(metrics.read(new Set([7, 8])).has(8)).toBe(false);
  });

  it("forget a group no longer passed, and measure it again from its start", () => {
    const clock = { at: 110 };
    const meter = new GroupMeter(fakeGroups(clock, 100, 0.5));
    meter.read(new Set([7]));
    clock.at = 120;
    meter.read(new Set());
    expect(meter.read(new Set([7])).get(7)?.cpu).toBe(50);
  });

  it("read a real busy process's group from /proc: CPU since it started, and its memory", async () => {
    const busy = spawn(process.execPath, ["-e", "const end = Date.now() + 20000; while (Date.now() < end);"], { detached: true, stdio: "ignore" });
    try {
      const pgid = busy.pid as number;
      await waitFor(() => (readGroups(new Set([pgid])).groups.get(pgid)?.cpuSeconds ?? 0) >= 0.3, 15_000, "0.3 s of CPU");
      const reading = new GroupMeter().read(new Set([pgid])).get(pgid);
      expect(reading?.memoryBytes).toBeGreaterThan(1_000_000);
      expect(reading?.cpu).toBeGreaterThan(1);
      expect(readGroups(new Set([pgid])).groups.get(pgid)?.startSeconds).toBeGreaterThan(0);
    } finally {
      busy.kill("SIGKILL");
    }
  });
});
