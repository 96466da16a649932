import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stackFrom } from "../../test-support/index.js";
import { waitFor } from "../../test-support/wait.js";
import type { LogLine } from "./log-sink.js";
import { freePort } from "./ports.js";
import { Supervisor } from "./supervisor.js";
import { startWatchdog, type Watchdog } from "./watchdog.js";

const app = join(import.meta.dirname, "test-app.mjs");
const open: { supervisor: Supervisor; watchdog: Watchdog }[] = [];

function service(extra = "", health = "{ path: /health, interval: 100ms, timeout: 500ms, healthy: 2, unhealthy: 3 }") {
  const stack = stackFrom(`name: t
services:
  web:
    run: node ${app}
    port: 3000
    health: ${health}
${extra}`);
  const s = stack.services[0];
  if (!s) throw new Error("no service");
  return s;
}

function supervisor(lines: LogLine[] = []) {
  const watchdog = startWatchdog(500);
  const s = new Supervisor({ root: "/", logDir: mkdtempSync(join(tmpdir(), "cairn-sup-")), host: "127.0.0.1", watchdog, onLog: (l) => lines.push(l) });
  open.push({ supervisor: s, watchdog });
  return s;
}

const get = async (port: number, path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).text();

afterEach(async () => {
  for (const { supervisor, watchdog } of open.splice(0)) {
    await supervisor.close();
    watchdog.close();
  }
});

describe("supervisor", () => {
  it("starts every replica on its port and restarts one killed with SIGKILL", async () => {
    const sup = supervisor();
    const ports = [await freePort(), await freePort()];
    const [first] = sup.start(service("    replicas: 2\n    restart: { delay: 100ms }"), ports, () => ({ NAME: "web" }));
    await sup.ready("web");
    expect(await get(ports[1] ?? 0, "/")).toContain("hello from web");
    const pid = first?.pid ?? 0;
    process.kill(pid, "SIGKILL");
    await waitFor(() => first?.pid !== pid && first?.snapshot().state === "healthy");
    expect(first?.pid).not.toBe(pid);
    expect(first?.snapshot()).toMatchObject({ restarts: 1, state: "healthy", lastExit: "killed by SIGKILL" });
    expect(await get(ports[0] ?? 0, "/")).toContain("hello from web");
  });

  it("reports a crash loop instead of retrying forever", async () => {
    const sup = supervisor();
    sup.start(service("    restart: { delay: 10ms, max_restarts: 3, window: 1m }"), [await freePort()], () => ({ CRASH: "3" }));
    await expect(sup.ready("web")).rejects.toThrow(/web\.1 crash loop: restarted 3 times in 60 s, last exit code 3/);
    expect(sup.snapshot()[0]).toMatchObject({ state: "crash-loop", restarts: 3 });
  });

  it("names a command that does not exist without restarting it", async () => {
    const sup = supervisor();
    const s = { ...service(), command: { shell: "no-such-program-here --flag", argv: null } };
    sup.start(s, [await freePort()], () => ({}));
    await expect(sup.ready("web")).rejects.toThrow("web.1 command not found: `no-such-program-here --flag`");
    expect(sup.snapshot()[0]?.restarts).toBe(0);
  });

  it("takes exactly the configured number of checks for each health transition", async () => {
    const sup = supervisor();
    const port = await freePort();
    sup.start(service("    restart: never", "{ path: /health, interval: 300ms, timeout: 500ms, healthy: 2, unhealthy: 3 }"), [port], () => ({}));
    await sup.ready("web");
    expect(Number(await get(port, "/checks"))).toBe(2);
    await get(port, "/fail");
    await waitFor(() => sup.snapshot()[0]?.health === "unhealthy");
    expect(Number(await get(port, "/checks"))).toBe(3);
    await get(port, "/recover");
    await waitFor(() => sup.snapshot()[0]?.health === "healthy");
    expect(Number(await get(port, "/checks"))).toBe(2);
  });

  it("replaces a replica that turns unhealthy, under its restart policy; `restart: never` leaves it running", async () => {
    const sup = supervisor();
    const health = "{ path: /health, interval: 100ms, timeout: 500ms, healthy: 1, unhealthy: 2 }";
    const [port, kept] = [await freePort(), await freePort()];
    const [replica] = sup.start(service("    restart: { policy: on-failure, delay: 50ms }", health), [port], () => ({}));
    await sup.ready("web");
    const pid = replica?.pid;
    await get(port, "/fail");
    await waitFor(() => replica?.snapshot().restarts === 1 && replica.snapshot().state === "healthy");
    expect(replica?.pid).not.toBe(pid);
    expect(await get(port, "/health")).toBe("ok");
    expect(readFileSync(replica?.snapshot().log ?? "", "utf8")).toMatch(
      /unhealthy \(GET \/health answered 500 \(expected 200-399\)\) after \d+ checks\n.*stopping it to start a new one/,
    );

    const other = supervisor();
    const never = { ...service("    restart: never", health), name: "steady" };
    const [steady] = other.start(never, [kept], () => ({}));
    await other.ready("steady");
    const steadyPid = steady?.pid;
    await get(kept, "/fail");
    await waitFor(() => steady?.snapshot().health === "unhealthy");
    // Three more failed checks after the flip (the app counts them): a restart would have come by now.
    const flipped = Number(await get(kept, "/checks"));
    await waitFor(async () => Number(await get(kept, "/checks")) >= flipped + 3);
    expect(steady?.snapshot()).toMatchObject({ pid: steadyPid, restarts: 0, state: "unhealthy" });
  });

  it("kills the whole process group on stop, even a child that ignores SIGTERM", async () => {
    const sup = supervisor();
    const s = { ...service(), stopTimeoutMs: 300 };
    const [replica] = sup.start(s, [await freePort()], () => ({ IGNORE_TERM: "1", GRANDCHILD: "1" }));
    await sup.ready("web");
    const pgid = replica?.pid ?? 0;
    expect(groupMembers(pgid).length).toBeGreaterThanOrEqual(2);
    await sup.close();
    expect(groupMembers(pgid)).toEqual([]);
    expect(readFileSync(replica?.snapshot().log ?? "", "utf8")).toMatch(/ignoring SIGTERM/);
  });
});

/** Pids whose process group is `pgid`, from /proc. */
function groupMembers(pgid: number): number[] {
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const t = readFileSync(`/proc/${e}/stat`, "utf8");
        return Number(t.slice(t.lastIndexOf(")") + 2).split(" ")[2]) === pgid;
      } catch {
        return false;
      }
    })
    .map(Number);
}
