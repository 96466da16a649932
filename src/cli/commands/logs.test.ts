import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { statePaths } from "../../runtime/stack-runner/state-dir.js";
import { LogSink } from "../../runtime/supervisor/log-sink.js";
import { captureContext } from "../../test-support/index.js";
import { waitFor } from "../../test-support/wait.js";
import { logs } from "./logs.js";

async function project() {
  const dir = mkdtempSync(join(tmpdir(), "cairn-logs-"));
  writeFileSync(join(dir, "cairn.yaml"), "name: l\nservices:\n  web: { run: x, port: 1 }\njobs:\n  nightly: { run: x }\n");
  const paths = statePaths(dir, "local");
  const at = (iso: string) => () => new Date(iso);
  const web = new LogSink(join(paths.logs, "web.1.log"), "web.1", () => {}, at("2026-11-21T11:40:00Z"));
  web.line("out", "old line");
  await web.close();
  const web2 = new LogSink(join(paths.logs, "web.2.log"), "web.2", () => {}, at("2026-11-21T11:55:00Z"));
  web2.line("err", "recent error");
  await web2.close();
  const job = new LogSink(join(paths.jobLogs("nightly"), "nightly-1.log"), "job:nightly", () => {}, at("2026-11-21T11:50:00Z"));
  job.line("out", "job ran");
  await job.close();
  return { dir, paths };
}

describe("cairn logs", () => {
  it("merges every service and job by time, filters by name and --since", async () => {
    const { dir } = await project();
    const all = captureContext(dir);
    expect(await logs(undefined, {}, all)).toBe(0);
    expect(all.out()).toBe("web.1       | old line\njob:nightly | job ran\nweb.2       | recent error\n");
    const recent = captureContext(dir);
    await logs("web", { since: "10m" }, recent);
    expect(recent.out()).toBe("web.2  | recent error\n");
    const job = captureContext(dir);
    await logs("nightly", { since: "2026-11-21T11:45:00Z" }, job);
    expect(job.out()).toBe("job:nightly | job ran\n");
  });

  it("redacts secret values a log written without them known still holds (.env, generated secrets, store passwords)", async () => {
    const { dir, paths } = await project();
    writeFileSync(join(dir, ".env"), "API_KEY=k-123456789\n");
    writeFileSync(join(paths.dir, "secrets.env"), "SESSION=generated-0987654321\n");
    mkdirSync(paths.resources("cache"), { recursive: true });
    writeFileSync(join(paths.resources("cache"), "credentials.json"), JSON.stringify({ "redis-default": "aa11bb22cc33dd44ee55ff66" }));
    const sink = new LogSink(join(paths.logs, "web.1.log"), "web.1", () => {});
    sink.line("out", "key k-123456789 session generated-0987654321 url redis://:aa11bb22cc33dd44ee55ff66@127.0.0.1:1");
    await sink.close();
    const context = captureContext(dir);
    await logs("web", {}, context);
    expect(context.out()).toContain("key [secret API_KEY] session [secret SESSION] url redis://:[secret cache.url]@127.0.0.1:1");
  });

  it("follows new lines until stopped, and names what it knows for an unknown name or a bad --since", async () => {
    const { dir, paths } = await project();
    const follow = captureContext(dir);
    const stop = new AbortController();
    const running = logs("web", { follow: true }, follow, stop.signal);
    await waitFor(() => follow.out().includes("recent error"), 5_000, "the lines already there");
    const sink = new LogSink(join(paths.logs, "web.1.log"), "web.1", () => {});
    sink.line("out", "new line");
    await sink.close();
    await waitFor(() => follow.out().includes("new line"), 5_000, "the new line");
    stop.abort();
    await running;
    expect(follow.out()).toMatch(/old line\n.*recent error\n.*new line\n$/s);
    await expect(logs("nope", {}, captureContext(dir))).rejects.toThrow('no logs for "nope"');
    await expect(logs("nope", {}, captureContext(dir))).rejects.toMatchObject({ hint: "Known names: nightly, web." });
    await expect(logs(undefined, { since: "yesterday-ish" }, captureContext(dir))).rejects.toThrow(
      "--since yesterday-ish is neither a duration (10m, 2h) nor a date",
    );
  });
});
