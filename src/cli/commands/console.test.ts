/** `cairn console` against a really running session (its control socket and console), and with none. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Console } from "../../console/console.js";
import { login, startWithConsole, TEST_APP } from "../../console/testing/stack.js";
import { freePort } from "../../runtime/ports.js";
import { startControl } from "../../runtime/stack-runner/control.js";
import type { Session } from "../../runtime/stack-runner/session.js";
import { statePaths } from "../../runtime/stack-runner/state-dir.js";
import { captureContext } from "../../test-support/index.js";
import { main } from "../main.js";

async function cairn(args: readonly string[], cwd: string) {
  const context = captureContext(cwd);
  const code = await main(args, context);
  return { code, out: context.out(), err: context.err() };
}

const LINK = /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/;

describe("cairn console with a running stack", () => {
  let session: Session;
  let server: Console;
  let dir: string;
  let printed: string;

  beforeAll(async () => {
    const started = await startWithConsole(`name: linked
services:
  web:
    run: node ${TEST_APP}
    port: ${await freePort()}
    health: { path: /health, interval: 200ms, healthy: 1 }
`);
    ({ session, dir, console: server } = started);
    // The link `cairn up` printed, not used yet.
    printed = started.console.loginUrl();
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  it("prints a new one-time link (--json); the unused link before stops working", async () => {
    const { code, out, err } = await cairn(["console", "--json"], dir);
    expect(err).toBe("");
    expect(code).toBe(0);
    const answer = JSON.parse(out) as { url: string; file: string; environment: string };
    expect(answer.url).toMatch(LINK);
    expect(answer.url).not.toBe(printed);
    expect(answer.file).toContain("cairn.yaml");
    expect((await fetch(printed, { redirect: "manual" })).status).toBe(401);
    const first = await fetch(answer.url, { redirect: "manual" });
    expect(first.status).toBe(303);
    const cookie = (first.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect((await fetch(answer.url.replace(/\?.*$/, "services"), { headers: { cookie } })).status).toBe(200);
    expect((await fetch(answer.url, { redirect: "manual" })).status).toBe(401);
  });

  it("prints it as text too, for the stack named from another folder; each link logs in once", async () => {
    const { code, out } = await cairn(["console", join(dir, "cairn.yaml")], tmpdir());
    expect(code).toBe(0);
    const [line, note] = out.split("\n");
    const url = line?.replace(/^console: /, "") ?? "";
    expect(url).toMatch(LINK);
    expect(note).toContain("logs in once");
    expect((await fetch(url, { redirect: "manual" })).status).toBe(303);
    expect((await fetch(url, { redirect: "manual" })).status).toBe(401);
    // The console's own login (what its tests and `cairn up` use) still works after it.
    expect((await login(server)).cookie).toMatch(/^cairn_console=/);
  });
});

describe("cairn console with nothing running", () => {
  const dir = mkdtempSync(join(tmpdir(), "cairn-console-none-"));
  writeFileSync(join(dir, "cairn.yaml"), "name: idle\nservices:\n  web: { run: node x.js, port: 3000 }\n");

  it("says nothing is running and how to start it, with exit code 1 (--json too)", async () => {
    for (const args of [["console"], ["console", "--json"]]) {
      const { code, out, err } = await cairn(args, dir);
      expect(code).toBe(1);
      expect(out).toBe("");
      expect(err).toMatch(/^error: nothing is running for .*cairn\.yaml \(\w+\)\nhint: Start it with `cairn up`; it prints the console's link\.\n$/);
    }
  });

  it("says the same when a crashed cairn up left its runner.json and socket path behind", async () => {
    const paths = statePaths(dir, "local");
    mkdirSync(paths.dir, { recursive: true });
    writeFileSync(
      paths.runner,
      JSON.stringify({ pid: 2 ** 22 + 1, socket: join(paths.dir, "gone.sock"), file: join(dir, "cairn.yaml"), environment: "local" }),
    );
    const { code, err } = await cairn(["console"], dir);
    expect(code).toBe(1);
    expect(err).toContain("error: nothing is running for");
  });

  it("names the running cairn up and how to restart it when it gives no link (a cairn up older than the verb)", async () => {
    const paths = statePaths(dir, "local");
    mkdirSync(paths.dir, { recursive: true });
    const socket = join(paths.dir, "old.sock");
    // An older cairn up knows no "console" request: its answer is not JSON.
    const control = await startControl(socket, async () => undefined);
    try {
      writeFileSync(paths.runner, JSON.stringify({ pid: process.pid, socket, file: join(dir, "cairn.yaml"), environment: "local" }));
      const { code, out, err } = await cairn(["console"], dir);
      expect(code).toBe(1);
      expect(out).toBe("");
      expect(err).toMatch(
        /^error: the cairn up running .*cairn\.yaml \(local\) gave no link: .*not JSON\nhint: Restart it: `cairn down`, then `cairn up`\.\n$/,
      );
    } finally {
      await control.close();
    }
  });
});
