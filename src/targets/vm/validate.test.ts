/**
 * The vm output of every example environment, checked by the real tools: systemd-analyze verify
 * (nothing on stderr) and calendar, nginx -t, and shellcheck.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Stack } from "../../model/types.js";
import { exampleNames, loadExample } from "../../test-support/index.js";
import { nginxTest, writeOutput } from "../common/test-tools.js";
import { vmTarget } from "./index.js";

const cases: [string, Stack][] = [];
for (const example of exampleNames) for (const [env, stack] of await loadExample(example)) cases.push([`${example}/${env}`, stack]);

describe.each(cases)("vm output of %s", (_label, stack) => {
  const output = vmTarget.generate(stack, {});
  const dir = writeOutput(output, "cairn-vm-");

  it("passes systemd-analyze verify with nothing on stderr", () => {
    const units = readdirSync(join(dir, "systemd")).map((f) => join(dir, "systemd", f));
    expect(units.length).toBeGreaterThan(0);
    const run = spawnSync("systemd-analyze", ["verify", ...units], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("has OnCalendar expressions systemd reads", () => {
    const calendars = output.files.flatMap((f) => [...f.content.matchAll(/^OnCalendar=(.+)$/gm)].map((m) => m[1] as string));
    expect(calendars.length).toBe(output.files.filter((f) => f.path.endsWith(".timer")).length);
    for (const calendar of calendars) {
      const run = spawnSync("systemd-analyze", ["calendar", calendar], { encoding: "utf8" });
      expect(run.stderr, calendar).toBe("");
      expect(run.status, calendar).toBe(0);
    }
  });

  it("has scripts shellcheck accepts", () => {
    const scripts = output.files.filter((f) => f.path.endsWith(".sh")).map((f) => join(dir, f.path));
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    const run = spawnSync("shellcheck", ["--shell=sh", ...scripts], { encoding: "utf8" });
    expect(run.stdout).toBe("");
    expect(run.status).toBe(0);
  });

  it("has Redis configs a real redis-server starts with, one per Redis on the machine", async () => {
    const configs = output.files.filter((f) => f.path.startsWith("redis/"));
    expect(configs.length).toBe(stack.resources.filter((r) => r.type === "redis" && (r.placement === "self" || r.placement === "local")).length);
    for (const file of configs) {
      const data = mkdtempSync(join(tmpdir(), "cairn-redis-"));
      // Only the places change: no TCP port, and a private data folder and pid file.
      const args = [join(dir, file.path), "--port", "0", "--unixsocket", join(data, "redis.sock"), "--dir", data, "--pidfile", join(data, "redis.pid")];
      const server = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
      let log = "";
      server.stdout.on("data", (c) => (log += c));
      server.stderr.on("data", (c) => (log += c));
      const ready = await new Promise<boolean>((resolve) => {
        const done = (value: boolean) => {
          clearTimeout(timer);
          resolve(value);
        };
        const timer = setTimeout(() => done(false), 5000);
        server.stdout.on("data", () => {
          if (/ready to accept connections/i.test(log)) done(true);
        });
        server.on("exit", () => done(false));
      });
      server.kill("SIGTERM");
      expect(ready, log).toBe(true);
    }
  });

  it("has an nginx site that nginx -t accepts", () => {
    const site = output.files.find((f) => f.path.startsWith("nginx/"));
    if (!site) {
      expect(stack.routes.length).toBe(0);
      return;
    }
    const result = nginxTest(site.content);
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  });
});
