/**
 * `cairn deploy`, `releases` and `rollback` before any host is reached: each refusal is a clear
 * message with a hint and exit 1, never a stack trace. (The deploys themselves run on real hosts in
 * test/deploy.)
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureContext } from "../../test-support/index.js";
import { main } from "../main.js";

function stack(env: string, extra = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "cairn-deploy-cli-"));
  writeFileSync(
    join(dir, "cairn.yaml"),
    `name: shop
services:
  web: { run: node web.mjs, port: 3000, health: /health, env: { TOKEN: "\${secret.TOKEN}" } }
routes: [{ path: /, to: web }]
secrets: { TOKEN: a token }
${extra}
environments:
  prod:
${env}
`,
  );
  return dir;
}

async function run(args: string[], env: Record<string, string> = {}) {
  const context = captureContext(process.cwd(), { PATH: process.env.PATH, NO_COLOR: "1", ...env });
  const code = await main(args, context);
  return { code, out: context.out(), err: context.err() };
}

describe("cairn deploy, refused before any host", () => {
  it("an environment without hosts", async () => {
    const r = await run(["deploy", stack("    target: vm")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('environment "prod" names no hosts');
    expect(r.err).toContain("hint: Add `hosts: [root@<address>]`");
  });

  it("a secret with no value, named with where to set it", async () => {
    const r = await run(["deploy", stack("    target: vm\n    hosts: [root@127.0.0.1]")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("secrets not set: TOKEN");
    expect(r.err).toContain(".env file beside the stack file");
  });

  it("a key file that does not exist, at its line", async () => {
    const r = await run(["deploy", stack("    target: vm\n    hosts: [root@127.0.0.1]\n    ssh: { key: keys/missing }")], { TOKEN: "x" });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cairn\.yaml:11:\d+ error deploy\/file/);
    expect(r.err).toContain("the SSH key keys/missing does not exist");
  });

  it("a certificate of one's own that does not exist, at its line", async () => {
    const r = await run(["deploy", stack("    target: vm\n    hosts: [root@127.0.0.1]", "edge: { tls: { cert: tls/chain.pem, key: tls/key.pem } }")], {
      TOKEN: "x",
    });
    expect(r.code).toBe(1);
    expect(r.err).toContain("the certificate tls/chain.pem does not exist");
    expect(r.err).toContain("the certificate's key tls/key.pem does not exist");
  });

  it("--host that is not one of the environment's", async () => {
    const r = await run(["deploy", stack("    target: vm\n    hosts: [root@127.0.0.1]"), "--host", "10.9.9.9"], { TOKEN: "x" });
    expect(r.code).toBe(1);
    expect(r.err).toContain("--host 10.9.9.9 is not one of the hosts");
  });

  it("no vm environment to deploy", async () => {
    const r = await run(["deploy", stack("    target: local")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("none has `target: vm`");
  });

  it("--dry-run says what would be deployed without connecting", async () => {
    const r = await run(["deploy", stack("    target: vm\n    hosts: [root@192.0.2.1]"), "--dry-run"], { TOKEN: "x" });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/would deploy release \d{8}-\d{6}(-[0-9a-f]+)? \(\d+ files\) to root@192\.0\.2\.1/);
    expect(r.out).toContain("packages: curl ufw nginx nodejs");
  });

  it("a compose environment gets its engine's command, and --run says what is missing when no engine answers", async () => {
    const dir = stack("    target: compose");
    const shown = await run(["deploy", dir, "--env", "prod"], { TOKEN: "x" });
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toContain("docker compose up -d --build");
    const ran = await run(["deploy", dir, "--env", "prod", "--run"], { TOKEN: "x", PATH: "/nonexistent" });
    expect(ran.code).toBe(1);
    expect(ran.err).toContain("cannot run it here: a Docker engine");
  });

  it("releases and rollback of an environment without hosts", async () => {
    const dir = stack("    target: vm");
    expect((await run(["releases", dir])).err).toContain("names no hosts");
    expect((await run(["rollback", "-s", dir])).err).toContain("names no hosts");
    expect((await run(["ps", dir, "--remote"])).err).toContain("names no hosts");
  });
});
